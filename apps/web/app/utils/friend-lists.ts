import type { Relationship } from '@app/contracts';

export const FRIEND_LISTS = ['friends', 'incoming', 'outgoing', 'blocked'] as const;
export type FriendList = (typeof FRIEND_LISTS)[number];

/** One row of a list: the user (its view lives in the people store), when, and the request id for requests. */
export interface ListEntry {
  userId: string;
  at: string;
  requestId?: string;
}

export interface ListState {
  entries: ListEntry[];
  cursor: string | null;
  loaded: boolean;
  loading: boolean;
  failed: boolean;
}

export type FriendLists = Record<FriendList, ListState>;

export const emptyList = (): ListState => ({ entries: [], cursor: null, loaded: false, loading: false, failed: false });

export const emptyLists = (): FriendLists => ({
  friends: emptyList(),
  incoming: emptyList(),
  outgoing: emptyList(),
  blocked: emptyList(),
});

/** Which list holds a user with this relationship. */
export const LIST_OF: Partial<Record<Relationship, FriendList>> = {
  friends: 'friends',
  request_received: 'incoming',
  request_sent: 'outgoing',
  blocked: 'blocked',
};

export interface Placement {
  userId: string;
  relationship: Relationship;
  /** False when the other user no longer lets the viewer see them (they blocked the viewer). */
  visible: boolean;
  /** When the new state began (the top of its list is the newest). */
  at: string;
  requestId?: string;
}

/**
 * Moves a user to the list their new relationship belongs in (at the top, or updated in place)
 * and out of every other one. A list that was never loaded is left alone: it loads in full when shown.
 */
export function placeRelationship(lists: FriendLists, p: Placement): void {
  const home = p.visible ? LIST_OF[p.relationship] : undefined;
  for (const key of Object.keys(lists) as FriendList[]) {
    const state = lists[key];
    if (key === home) {
      if (!state.loaded) continue;
      const entry: ListEntry = { userId: p.userId, at: p.at };
      if (p.requestId && (key === 'incoming' || key === 'outgoing')) entry.requestId = p.requestId;
      const existing = state.entries.find((e) => e.userId === p.userId);
      if (existing) Object.assign(existing, entry, { at: existing.at });
      else state.entries = [entry, ...state.entries];
    } else if (state.entries.some((e) => e.userId === p.userId)) {
      state.entries = state.entries.filter((e) => e.userId !== p.userId);
    }
  }
}

/** A pending request ended (accepted, declined, cancelled, dropped by a block). */
export function dropRequest(lists: FriendLists, requestId: string): void {
  for (const key of ['incoming', 'outgoing'] as const) {
    const state = lists[key];
    if (state.entries.some((e) => e.requestId === requestId)) state.entries = state.entries.filter((e) => e.requestId !== requestId);
  }
}

/** A fetched page: replaces the list (first page) or is appended without duplicates (`more`). */
export function mergePage(state: ListState, items: ListEntry[], nextCursor: string | null, more: boolean): void {
  const seen = new Set(more ? state.entries.map((e) => e.userId) : []);
  const fresh = items.filter((e) => !seen.has(e.userId));
  state.entries = more ? [...state.entries, ...fresh] : fresh;
  state.cursor = nextCursor;
  state.loaded = true;
}
