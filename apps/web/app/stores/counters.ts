import type { CountersView } from '@app/contracts';
import type { useRealtime } from '~/composables/useRealtime';
import { createApiClient } from '~/composables/useApi';

/**
 * Badge numbers of the app shell: pending friend requests and unread messages. Loaded from
 * GET /api/me/counters (SSR and after every resync), kept live by 'counters:changed' and by the
 * chats store as messages arrive and are read.
 */
export const useCountersStore = defineStore('counters', () => {
  const nuxtApp = useNuxtApp();
  const friendRequests = ref(0);
  const unreadChats = ref(0);
  const unreadMessages = ref(0);

  let bound = false;

  function set(view: Partial<CountersView>): void {
    if (view.friendRequests !== undefined) friendRequests.value = view.friendRequests;
    if (view.unreadChats !== undefined) unreadChats.value = view.unreadChats;
    if (view.unreadMessages !== undefined) unreadMessages.value = view.unreadMessages;
  }

  async function load(): Promise<void> {
    set(await createApiClient(nuxtApp).get<CountersView>('/me/counters'));
  }

  /** Live updates and a reload after every (re)connect; once per tab. */
  function bind(rt: ReturnType<typeof useRealtime>): void {
    if (bound) return;
    bound = true;
    rt.on('counters:changed', set);
    rt.onResync(() => void load().catch(() => undefined));
  }

  return { friendRequests, unreadChats, unreadMessages, set, load, bind };
});

/** "99+" past 99, as every badge shows it. */
export function badge(n: number): string {
  return n > 99 ? '99+' : String(n);
}
