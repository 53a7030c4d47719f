import { describe, expect, it } from '@jest/globals';
import { badgeCounters, compareChats, isMuted, nextMuteExpiry, unreadBadge, unreadTotals } from './chat-list';

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
    const open = { mutedUntil: null };
    expect(unreadTotals([{ unread: 0, ...open }, { unread: 3, ...open }, { unread: 100, ...open }])).toEqual({ unreadChats: 2, unreadMessages: 103 });
  });

  it('leaves muted chats out of the totals while the mute lasts', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const chats = [
      { unread: 2, mutedUntil: null },
      { unread: 5, mutedUntil: 'forever' },
      { unread: 7, mutedUntil: '2026-01-01T13:00:00Z' },
      { unread: 11, mutedUntil: '2026-01-01T11:00:00Z' },
    ];
    expect(unreadTotals(chats, now)).toEqual({ unreadChats: 2, unreadMessages: 13 });
    expect(chats.map((c) => isMuted(c, now))).toEqual([false, true, true, false]);
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

describe('nextMuteExpiry', () => {
  it('is the soonest mute still ahead; forever, past and no mute never run out', () => {
    const now = Date.UTC(2026, 0, 1);
    const at = (ms: number) => new Date(now + ms).toISOString();
    expect(nextMuteExpiry([{ mutedUntil: at(3_600_000) }, { mutedUntil: at(60_000) }, { mutedUntil: at(-1000) }, { mutedUntil: 'forever' }, { mutedUntil: null }], now)).toBe(now + 60_000);
    expect(nextMuteExpiry([{ mutedUntil: 'forever' }, { mutedUntil: at(-1) }, { mutedUntil: null }], now)).toBeNull();
  });
});
