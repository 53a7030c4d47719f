import { describe, expect, it } from '@jest/globals';
import { badgeCounters, compareChats, unreadBadge, unreadTotals } from './chat-list';

describe('chat list order and counters', () => {
  it('sorts by last activity, newest first, ties by id descending', () => {
    const list = [
      { id: 'a', lastActivityAt: '2025-01-01T00:00:01Z' },
      { id: 'c', lastActivityAt: '2025-01-01T00:00:02Z' },
      { id: 'b', lastActivityAt: '2025-01-01T00:00:01Z' },
    ].sort(compareChats);
    expect(list.map((c) => c.id)).toEqual(['c', 'b', 'a']);
  });

  it('sums unread chats and messages', () => {
    expect(unreadTotals([{ unread: 0 }, { unread: 3 }, { unread: 100 }])).toEqual({ unreadChats: 2, unreadMessages: 103 });
  });

  it('uses the server totals plus the local change when only part of the list is loaded', () => {
    const local = { unreadChats: 2, unreadMessages: 5 };
    const server = { totals: { unreadChats: 4, unreadMessages: 20 }, localAtFetch: { unreadChats: 1, unreadMessages: 3 } };
    expect(badgeCounters(local, false, server)).toEqual({ unreadChats: 5, unreadMessages: 22 });
    expect(badgeCounters(local, true, server)).toEqual(local);
    expect(badgeCounters(local, false, null)).toEqual(local);
  });

  it('shows 99+ past 99', () => {
    expect(unreadBadge(99)).toBe('99');
    expect(unreadBadge(100)).toBe('99+');
  });
});
