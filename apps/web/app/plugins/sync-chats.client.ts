import { useSessionStore } from '~/stores/session';

/**
 * Chats stay live on every page of the signed-in app (the nav's unread badge needs them): the
 * chats store subscribes to the socket and catches up after each (re)connect, and the outbox
 * sends what an earlier page left unsent. Runs after the realtime plugin (file order). The chat
 * code is loaded once someone is signed in, so the sign-in pages do without it.
 */
export default defineNuxtPlugin((nuxtApp) => {
  const session = useSessionStore();
  watch(
    () => session.me?.id,
    async (id) => {
      if (!id) return;
      const [{ useChatsStore }, { useDraftsStore }, { useOutboxStore }, { usePresenceStore }] = await Promise.all([
        import('~/stores/chats'),
        import('~/stores/drafts'),
        import('~/stores/outbox'),
        import('~/stores/presence'),
      ]);
      await nuxtApp.runWithContext(async () => {
        useChatsStore().attach();
        useDraftsStore().bind(useRealtime());
        usePresenceStore().bind(useRealtime());
        await useOutboxStore().start();
      });
    },
    { immediate: true },
  );
});
