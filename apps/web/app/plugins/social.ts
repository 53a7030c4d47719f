import { useCountersStore } from '~/stores/counters';
import { useFriendsStore } from '~/stores/friends';
import { usePeopleStore } from '~/stores/people';
import { usePresenceStore } from '~/stores/presence';
import { useSessionStore } from '~/stores/session';

/**
 * The social graph's wiring. On the server: the shell's badge counters, so the first HTML already
 * shows them. In the browser: each store registers its socket handlers and resync refetch once
 * (after the realtime plugin created the socket; the layout connects it).
 */
export default defineNuxtPlugin({
  name: 'social',
  dependsOn: ['session-ssr'],
  enforce: 'post',
  async setup() {
    const counters = useCountersStore();
    if (import.meta.server) {
      if (useSessionStore().isSignedIn) await counters.load().catch(() => undefined);
      return;
    }
    const rt = useRealtime();
    counters.bind(rt);
    usePresenceStore().bind(rt);
    usePeopleStore().bind(rt);
    useFriendsStore().bind(rt);
  },
});
