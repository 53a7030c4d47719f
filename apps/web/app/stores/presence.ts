import type { PresenceChangedPayload, PresenceView, UserView } from '@app/contracts';
import type { useRealtime } from '~/composables/useRealtime';

/** How often "last seen 5 minutes ago" labels move on. */
const CLOCK_MS = 30_000;

/**
 * Who is online and when others were last seen, as far as the viewer may know: seeded from every
 * user view the app loads (REST, SSR) and kept live by 'presence:changed'. `now` is the clock the
 * "last seen" labels count from: it is part of the state, so the browser hydrates with the time the
 * server rendered at and the labels match; it starts ticking after hydration.
 */
export const usePresenceStore = defineStore('presence', () => {
  /** null: the user hides presence from the viewer. Missing: not known yet. */
  const byUser = ref<Record<string, PresenceView | null>>({});
  const now = ref(Date.now());

  // Not state: this tab's clock and subscriptions.
  let clock: ReturnType<typeof setInterval> | null = null;
  let bound = false;
  /** When each user's presence last changed live here (`stamp()` time). */
  const changedAt = new Map<string, number>();

  /** This tab's clock for `seed`: taken when a request goes out (0 on the server, which hears nothing live). */
  function stamp(): number {
    return import.meta.client ? performance.now() : 0;
  }

  /**
   * Takes the presence carried by views the server sent at `asOf` (a `stamp()` from when the
   * request went out), except for users whose presence changed live since: a list fetched just
   * before someone left would otherwise bring them back online until their next change.
   */
  function seed(users: UserView[], asOf: number): void {
    for (const u of users) {
      if ((changedAt.get(u.id) ?? -1) > asOf) continue;
      byUser.value[u.id] = u.presence;
    }
  }

  function apply(payload: PresenceChangedPayload): void {
    changedAt.set(payload.userId, stamp());
    byUser.value[payload.userId] = payload.presence;
    now.value = Date.now();
  }

  /** The known presence of a user, else what their view carried. */
  function of(userId: string, fallback: PresenceView | null = null): PresenceView | null {
    return userId in byUser.value ? (byUser.value[userId] ?? null) : fallback;
  }

  function startClock(): void {
    if (clock || import.meta.server) return;
    clock = setInterval(() => {
      now.value = Date.now();
    }, CLOCK_MS);
  }

  function bind(rt: ReturnType<typeof useRealtime>): void {
    if (bound) return;
    bound = true;
    rt.on('presence:changed', apply);
    startClock();
  }

  return { byUser, now, stamp, seed, apply, of, bind };
});
