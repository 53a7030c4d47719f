import { useChatsStore } from '~/stores/chats';
import { useOutboxStore } from '~/stores/outbox';
import { usePresenceStore } from '~/stores/presence';
import { useSessionStore } from '~/stores/session';

/**
 * Chats stay live on every page of the signed-in app (the nav's unread badge needs them): the
 * chats store subscribes to the socket and catches up after each (re)connect, and the outbox
 * sends what an earlier page left unsent. Runs after the realtime plugin (file order).
 */
export default defineNuxtPlugin(() => {
  const session = useSessionStore();
  watch(
    () => session.me?.id,
    (id) => {
      if (!id) return;
      useChatsStore().attach();
      usePresenceStore().bind(useRealtime());
      void useOutboxStore().start();
    },
    { immediate: true },
  );
});
