import {
  LIMITS,
  type BlockView,
  type FriendRequestDirection,
  type FriendRequestRemovedPayload,
  type FriendRequestView,
  type FriendView,
  type Page,
  type Relationship,
  type RelationshipChangedPayload,
  type UserView,
} from '@app/contracts';
import type { useRealtime } from '~/composables/useRealtime';
import { createApiClient } from '~/composables/useApi';
import { usePeopleStore } from '~/stores/people';
import {
  FRIEND_LISTS,
  dropRequest,
  emptyLists,
  mergePage,
  placeRelationship,
  type FriendList,
  type FriendLists,
  type ListEntry,
} from '~/utils/friend-lists';

const PAGE_SIZE = 20;
/** Pages of pending requests to look through for a request id the app has not seen yet. */
const MAX_LOOKUP_PAGES = 10;

/**
 * The viewer's social graph: friends, incoming and outgoing requests, blocked users (each a
 * keyset-paged list), the actions on them, and the socket events that keep them live. Every
 * change, from an API answer or from the socket, goes through applyRelationship() so both agree.
 */
export const useFriendsStore = defineStore('friends', () => {
  const nuxtApp = useNuxtApp();
  const people = usePeopleStore();
  const api = () => createApiClient(nuxtApp);

  const lists = ref<FriendLists>(emptyLists());
  /** Pending request id per other user, from lists, events and answers. */
  const requestIds = ref<Record<string, string>>({});

  let bound = false;

  async function fetchPage(list: FriendList, cursor: string | null, limit: number): Promise<Page<ListEntry>> {
    const query = { cursor: cursor ?? undefined, limit };
    const asOf = people.stamp();
    if (list === 'friends') {
      const page = await api().get<Page<FriendView>>('/friends', query);
      people.remember(page.items.map((f) => f.user), asOf);
      return { items: page.items.map((f) => ({ userId: f.user.id, at: f.since })), nextCursor: page.nextCursor };
    }
    if (list === 'blocked') {
      const page = await api().get<Page<BlockView>>('/blocks', query);
      people.remember(page.items.map((b) => b.user), asOf);
      return { items: page.items.map((b) => ({ userId: b.user.id, at: b.createdAt })), nextCursor: page.nextCursor };
    }
    const page = await api().get<Page<FriendRequestView>>('/friends/requests', { ...query, direction: list });
    people.remember(page.items.map((r) => r.user), asOf);
    for (const r of page.items) requestIds.value[r.user.id] = r.id;
    return { items: page.items.map((r) => ({ userId: r.user.id, at: r.createdAt, requestId: r.id })), nextCursor: page.nextCursor };
  }

  /** Loads the first page (replacing what is there), or the next one when `more`. */
  async function load(list: FriendList, more = false, limit = PAGE_SIZE): Promise<void> {
    const state = lists.value[list];
    if (more && (!state.cursor || state.loading)) return;
    state.loading = true;
    state.failed = false;
    try {
      const page = await fetchPage(list, more ? state.cursor : null, limit);
      mergePage(state, page.items, page.nextCursor, more);
    } catch (err) {
      state.failed = true;
      throw err;
    } finally {
      state.loading = false;
    }
  }

  /** The first page of a list, unless it is loaded (and then kept live) already. */
  async function ensure(list: FriendList): Promise<void> {
    if (!lists.value[list].loaded) await load(list);
  }

  function more(list: FriendList): Promise<void> {
    return load(list, true);
  }

  /** After a reconnect: reload what is shown, as many rows as were there (up to one page of 100). */
  async function reloadLoaded(): Promise<void> {
    const loaded = FRIEND_LISTS.filter((l) => lists.value[l].loaded);
    const size = (l: FriendList) => Math.min(LIMITS.pageSizeMax, Math.max(PAGE_SIZE, lists.value[l].entries.length));
    await Promise.all(loaded.map((l) => load(l, false, size(l)).catch(() => undefined)));
  }

  /**
   * The one place a relationship change lands. `user` null: the other user no longer lets the
   * viewer see them (they blocked the viewer), so they leave every list.
   */
  function applyRelationship(userId: string, relationship: Relationship, user: UserView | null, at = new Date().toISOString()): void {
    if (user) people.remember(user, people.stamp());
    else people.hide(userId);
    people.setRelationship(userId, relationship);
    if (relationship !== 'request_sent' && relationship !== 'request_received') delete requestIds.value[userId];
    placeRelationship(lists.value, { userId, relationship, visible: user !== null, at, requestId: requestIds.value[userId] });
  }

  function onRequestCreated(r: FriendRequestView): void {
    requestIds.value[r.user.id] = r.id;
    applyRelationship(r.user.id, r.direction === 'incoming' ? 'request_received' : 'request_sent', r.user, r.createdAt);
  }

  function onRequestRemoved(p: FriendRequestRemovedPayload): void {
    if (requestIds.value[p.userId] === p.requestId) delete requestIds.value[p.userId];
    dropRequest(lists.value, p.requestId);
  }

  function onRelationshipChanged(p: RelationshipChangedPayload): void {
    applyRelationship(p.userId, p.relationship, p.user);
  }

  /** The pending request between the viewer and a user, looked up in the API when not seen yet. */
  async function requestIdFor(userId: string, direction: FriendRequestDirection): Promise<string> {
    const known = requestIds.value[userId] ?? people.user(userId)?.requestId;
    if (known) return known;
    let cursor: string | undefined;
    for (let i = 0; i < MAX_LOOKUP_PAGES; i += 1) {
      const page = await api().get<Page<FriendRequestView>>('/friends/requests', { direction, cursor, limit: LIMITS.pageSizeMax });
      const hit = page.items.find((r) => r.user.id === userId);
      if (hit) {
        requestIds.value[userId] = hit.id;
        return hit.id;
      }
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    await people.refreshRelationships([userId]);
    throw Object.assign(new Error('No such request'), { status: 404 });
  }

  /** Runs an action; when it fails, re-reads the relationship so the card shows the truth. */
  async function act<T>(userId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      await people.refreshRelationships([userId]).catch(() => undefined);
      throw err;
    }
  }

  const userOr = (userId: string, relationship: Relationship): UserView | null => {
    const u = people.user(userId);
    return u ? { ...u, relationship } : null;
  };

  function sendRequest(userId: string): Promise<void> {
    return act(userId, async () => {
      const res = await api().post<FriendRequestView | FriendView>('/friends/requests', { userId });
      if ('since' in res) applyRelationship(userId, 'friends', res.user, res.since);
      else onRequestCreated(res);
    });
  }

  function accept(userId: string): Promise<void> {
    return act(userId, async () => {
      const id = await requestIdFor(userId, 'incoming');
      const friend = await api().post<FriendView>(`/friends/requests/${id}/accept`);
      onRequestRemoved({ requestId: id, userId });
      applyRelationship(userId, 'friends', friend.user, friend.since);
    });
  }

  function removeRequest(userId: string, direction: FriendRequestDirection): Promise<void> {
    return act(userId, async () => {
      const id = await requestIdFor(userId, direction);
      if (direction === 'incoming') await api().post<void>(`/friends/requests/${id}/decline`);
      else await api().del<void>(`/friends/requests/${id}`);
      onRequestRemoved({ requestId: id, userId });
      applyRelationship(userId, 'none', userOr(userId, 'none'));
    });
  }

  const decline = (userId: string) => removeRequest(userId, 'incoming');
  const cancel = (userId: string) => removeRequest(userId, 'outgoing');

  function unfriend(userId: string): Promise<void> {
    return act(userId, async () => {
      await api().del<void>(`/friends/${userId}`);
      applyRelationship(userId, 'none', userOr(userId, 'none'));
    });
  }

  function block(userId: string): Promise<void> {
    return act(userId, async () => {
      await api().put<void>(`/blocks/${userId}`);
      applyRelationship(userId, 'blocked', userOr(userId, 'blocked'));
    });
  }

  function unblock(userId: string): Promise<void> {
    return act(userId, async () => {
      await api().del<void>(`/blocks/${userId}`);
      applyRelationship(userId, 'none', userOr(userId, 'none'));
    });
  }

  /** Registers the socket handlers of the social graph, once per tab. */
  function bind(rt: ReturnType<typeof useRealtime>): void {
    if (bound) return;
    bound = true;
    rt.on('friend:request-created', onRequestCreated);
    rt.on('friend:request-removed', onRequestRemoved);
    rt.on('relationship:changed', onRelationshipChanged);
    rt.onResync(() => void reloadLoaded());
  }

  return {
    lists,
    requestIds,
    load,
    ensure,
    more,
    reloadLoaded,
    applyRelationship,
    sendRequest,
    accept,
    decline,
    cancel,
    unfriend,
    block,
    unblock,
    bind,
  };
});
