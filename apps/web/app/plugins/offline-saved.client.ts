import { clear, createStore, get, setMany, type UseStore } from 'idb-keyval';
import type { ChatView, MessageView } from '@app/contracts';
import { useSessionStore } from '~/stores/session';

/** Chats whose last messages are kept, most recently opened first. */
const CHATS_KEPT = 20;
/** Messages kept per chat (the newest). */
const MESSAGES_KEPT = 50;
/** Writes wait this long after the last change. */
const SAVE_AFTER_MS = 1500;

/**
 * What the offline page (public/offline.html) reads when the network is gone: in IndexedDB
 * `messenger-saved` / `kv`, the signed-in user (`me`), the chat list (`chats`), the chats last
 * opened (`opened`, at most 20), the newest 50 messages of each (`msgs:<chatId>`) and the names
 * of a group's members (`names:<chatId>`). Written a
 * moment after they change; deleted when the user signs out (or another user signs in).
 */
export default defineNuxtPlugin((nuxtApp) => {
  if (typeof indexedDB === 'undefined') return;
  const session = useSessionStore();
  let db: UseStore | null = null;
  const store = (): UseStore => (db ??= createStore('messenger-saved', 'kv'));
  const stops: (() => void)[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;

  const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

  async function start(userId: string): Promise<void> {
    const saved = await get<{ id: string }>('me', store()).catch(() => undefined);
    if (saved && saved.id !== userId) await clear(store()).catch(() => undefined);
    const [{ useChatsStore }, { useMessagesStore }] = await Promise.all([import('~/stores/chats'), import('~/stores/messages')]);
    await nuxtApp.runWithContext(() => {
      const chats = useChatsStore();
      const messages = useMessagesStore();
      const opened = ref<string[]>([]);
      void get<string[]>('opened', store()).then((ids) => {
        if (ids) opened.value = [...opened.value, ...ids.filter((id) => !opened.value.includes(id))].slice(0, CHATS_KEPT);
      }, () => undefined);

      const save = (): void => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          const me = session.me;
          if (!me || me.id !== userId) return;
          const list: ChatView[] = chats.list.slice(0, 100);
          const entries: [IDBValidKey, unknown][] = [
            ['me', { id: me.id, displayName: me.displayName, locale: me.appearance.locale }],
            ['chats', plain(list)],
            ['opened', [...opened.value]],
          ];
          for (const id of opened.value) {
            const items = messages.windows[id]?.items;
            if (items?.length) entries.push([`msgs:${id}`, plain(items.slice(-MESSAGES_KEPT) as MessageView[])]);
            const members = chats.members[id];
            if (members) entries.push([`names:${id}`, Object.fromEntries(members.map((m) => [m.user.id, m.user.displayName]))]);
          }
          void setMany(entries, store()).catch(() => undefined);
        }, SAVE_AFTER_MS);
      };

      // The chat on screen (?chat=) goes first in `opened`.
      const route = useRoute();
      stops.push(
        watch(
          () => route.query.chat,
          (chat) => {
            if (typeof chat !== 'string' || !chat) return;
            opened.value = [chat, ...opened.value.filter((id) => id !== chat)].slice(0, CHATS_KEPT);
            save();
          },
          { immediate: true },
        ),
        watch(() => chats.list, save),
        watch(() => opened.value.map((id) => messages.windows[id]?.items), save),
      );
    });
  }

  function stop(): void {
    for (const s of stops.splice(0)) s();
    if (timer) clearTimeout(timer);
    timer = null;
  }

  watch(
    () => session.me?.id ?? null,
    (id) => {
      stop();
      if (id) void start(id);
      // Signed out: nothing of this user stays on the device. Also when the app starts signed out:
      // a sign-out reloads the app, which can cut off the clear it started.
      else void clear(store()).catch(() => undefined);
    },
    { immediate: true },
  );
});
