import { CHAT_MUTE_FOREVER, type ChatView, type CountersView } from '@app/contracts';

/** The API's list order: last activity, newest first; ties by id, descending (keyset order). */
export function compareChats(a: Pick<ChatView, 'lastActivityAt' | 'id'>, b: Pick<ChatView, 'lastActivityAt' | 'id'>): number {
  const ta = Date.parse(a.lastActivityAt);
  const tb = Date.parse(b.lastActivityAt);
  if (ta !== tb) return tb - ta;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Ids in list order. */
export function sortChatIds(chats: Record<string, ChatView>): string[] {
  return Object.values(chats).sort(compareChats).map((c) => c.id);
}

export type UnreadCounters = Required<Pick<CountersView, 'unreadChats' | 'unreadMessages'>>;

/** Muted at `now`: forever, or until a time still ahead. */
export function isMuted(chat: Pick<ChatView, 'mutedUntil'>, now = Date.now()): boolean {
  return chat.mutedUntil === CHAT_MUTE_FOREVER || (chat.mutedUntil !== null && Date.parse(chat.mutedUntil) > now);
}

/** The soonest time (epoch ms) one of these mutes runs out after `now`, or null when none will. */
export function nextMuteExpiry(chats: Iterable<Pick<ChatView, 'mutedUntil'>>, now = Date.now()): number | null {
  let next: number | null = null;
  for (const c of chats) {
    if (c.mutedUntil === null || c.mutedUntil === CHAT_MUTE_FOREVER) continue;
    const at = Date.parse(c.mutedUntil);
    if (at > now && (next === null || at < next)) next = at;
  }
  return next;
}

/** Unread totals over the chats the client holds, leaving out the muted ones (Telegram's rule). */
export function unreadTotals(chats: Iterable<Pick<ChatView, 'unread' | 'mutedUntil'>>, now = Date.now()): UnreadCounters {
  let unreadChats = 0;
  let unreadMessages = 0;
  for (const c of chats) {
    if (c.unread > 0 && !isMuted(c, now)) {
      unreadChats += 1;
      unreadMessages += c.unread;
    }
  }
  return { unreadChats, unreadMessages };
}

/**
 * The badge numbers to show. When the whole list is loaded, they are the client's own sums. When
 * only part of it is, the server's totals (if it sends them) are the base and the client adds the
 * change it has seen since in the chats it holds.
 */
export function badgeCounters(
  local: UnreadCounters,
  complete: boolean,
  server: { totals: UnreadCounters; localAtFetch: UnreadCounters } | null,
): UnreadCounters {
  if (complete || !server) return local;
  return {
    unreadChats: Math.max(local.unreadChats, server.totals.unreadChats + local.unreadChats - server.localAtFetch.unreadChats),
    unreadMessages: Math.max(local.unreadMessages, server.totals.unreadMessages + local.unreadMessages - server.localAtFetch.unreadMessages),
  };
}

/** "99+" past 99. */
export function unreadBadge(n: number): string {
  return n > 99 ? '99+' : String(n);
}
