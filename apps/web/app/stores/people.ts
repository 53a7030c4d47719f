import { LIMITS, type Relationship, type RelationshipsView, type UserView } from '@app/contracts';
import type { useRealtime } from '~/composables/useRealtime';
import { createApiClient } from '~/composables/useApi';
import { usePresenceStore } from '~/stores/presence';

/**
 * Every other user the app has seen, one view per id, so a user card on the friends page, in
 * search results and on a profile all show the same relationship. Relationships are refreshed in
 * batches (like Elk's relationship.ts) after each reconnect, since changes may have been missed.
 */
export const usePeopleStore = defineStore('people', () => {
  const nuxtApp = useNuxtApp();
  const presence = usePresenceStore();
  const users = ref<Record<string, UserView>>({});
  /** Users who became invisible to the viewer (they blocked the viewer): drop them from lists. */
  const hidden = ref<Record<string, true>>({});

  let bound = false;

  /** Views the server sent for a request that went out at `asOf` (`presence.stamp()`). */
  function remember(list: UserView | UserView[], asOf: number): void {
    const views = Array.isArray(list) ? list : [list];
    for (const u of views) {
      users.value[u.id] = u;
      if (hidden.value[u.id]) delete hidden.value[u.id];
    }
    presence.seed(views, asOf);
  }

  function user(id: string): UserView | undefined {
    return users.value[id];
  }

  function setRelationship(id: string, relationship: Relationship): void {
    const u = users.value[id];
    if (u && u.relationship !== relationship) users.value[id] = { ...u, relationship };
  }

  function hide(id: string): void {
    hidden.value[id] = true;
    setRelationship(id, 'none');
  }

  /** Re-reads the viewer's relationship to the given (default: all known) users, 100 per request. */
  async function refreshRelationships(ids: string[] = Object.keys(users.value)): Promise<void> {
    const api = createApiClient(nuxtApp);
    for (let i = 0; i < ids.length; i += LIMITS.pageSizeMax) {
      const chunk = ids.slice(i, i + LIMITS.pageSizeMax);
      const view = await api.get<RelationshipsView>('/users/relationships', { ids: chunk.join(',') });
      for (const id of chunk) {
        const rel = view[id];
        if (rel) setRelationship(id, rel);
        else hide(id);
      }
    }
  }

  function bind(rt: ReturnType<typeof useRealtime>): void {
    if (bound) return;
    bound = true;
    rt.onResync(() => void refreshRelationships().catch(() => undefined));
  }

  return { users, hidden, stamp: presence.stamp, remember, user, setRelationship, hide, refreshRelationships, bind };
});
