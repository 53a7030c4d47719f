import { describe, expect, it } from '@jest/globals';
import type { AnyChatEvent, ChatView, MemberView, MessageView, UserView } from '@app/contracts';
import {
  applyEventToChat,
  applyEventToMembers,
  applyEventToWindow,
  chatDisplayTitle,
  firstUnreadSeq,
  mergeUnlogged,
  seenBy,
  unreadFromWindow,
  upsertMessage,
} from './chat-apply';

const ME = 'me';
const PEER = 'peer';
const at = (n: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString();

function msg(seq: number, senderId = PEER, over: Partial<MessageView> = {}): MessageView {
  return {
    id: `m${seq}`, chatId: 'c', seq, senderId, clientId: `k${seq}`, text: `text ${seq}`, entities: [], service: null, replyTo: null, forwardedFrom: null, mentions: [],
    reactions: [], attachments: [], preview: null, listenedBy: [], createdAt: at(seq), editedAt: null, deletedAt: null, ...over,
  };
}
function user(id: string): UserView {
  return { id, username: id, displayName: `User ${id}`, avatar: null, bio: null, cover: null, presence: null, relationship: 'none', canMessage: true, canAddToGroup: true, requestId: null };
}
function chat(over: Partial<ChatView> = {}): ChatView {
  return {
    id: 'c', kind: 'direct', title: 'User peer', groupTitle: null, customName: null, peer: user(PEER), memberCount: 2, myRole: 'member',
    avatar: null, description: null, lastMessage: null, lastSenderName: null, lastActivityAt: at(0), lastSeq: 0, lastReadSeq: 0, unread: 0, unreadMentions: 0, peerReadSeq: 0, draft: null, mutedUntil: null, muteMentionsOnly: false, ...over,
  };
}
const e = <T extends AnyChatEvent['type']>(seq: number, type: T, data: Extract<AnyChatEvent, { type: T }>['data']): AnyChatEvent =>
  ({ chatId: 'c', seq, type, data, at: at(seq) }) as AnyChatEvent;

describe('applyEventToChat', () => {
  it('counts unread mentions of me and clears them once everything is read', () => {
    let c = chat({ kind: 'group', peer: null });
    c = applyEventToChat(c, e(1, 'message:created', msg(1, PEER, { mentions: [ME] })), ME).chat;
    c = applyEventToChat(c, e(2, 'message:created', msg(2, PEER, { mentions: ['other'] })), ME).chat;
    c = applyEventToChat(c, e(3, 'message:created', msg(3, ME, { mentions: [ME] })), ME).chat;
    expect([c.unread, c.unreadMentions]).toEqual([2, 1]);
    c = applyEventToChat(c, e(4, 'chat:read', { userId: ME, lastReadSeq: 3 }), ME).chat;
    expect([c.unread, c.unreadMentions]).toEqual([0, 0]);
  });

  it('names the sender of a service message in the preview and forgets the name of another sender', () => {
    let c = chat({ kind: 'group', peer: null, lastMessage: msg(1), lastSenderName: 'User peer' });
    c = applyEventToChat(c, e(2, 'message:created', msg(2, ME)), ME).chat;
    expect(c.lastSenderName).toBeNull();
    const service = { type: 'member-left', actor: { id: 'x', name: 'Xena' } } as const;
    c = applyEventToChat(c, e(3, 'message:created', msg(3, 'x', { text: null, service })), ME).chat;
    expect(c.lastSenderName).toBe('Xena');
  });

  it('moves the preview, the activity time and counts unread from others only', () => {
    let c = chat();
    c = applyEventToChat(c, e(1, 'message:created', msg(1)), ME).chat;
    c = applyEventToChat(c, e(2, 'message:created', msg(2, ME)), ME).chat;
    expect(c.unread).toBe(1);
    expect(c.lastMessage?.id).toBe('m2');
    expect(c.lastActivityAt).toBe(at(2));
    expect(c.lastSeq).toBe(2);
  });

  it('caps unread at 100 and asks for a recount when a deletion happens at the cap', () => {
    const c = chat({ unread: 100, lastReadSeq: 0 });
    expect(applyEventToChat(c, e(201, 'message:created', msg(201)), ME).chat.unread).toBe(100);
    const del = applyEventToChat(c, e(202, 'message:deleted', msg(150, PEER, { deletedAt: at(202), text: null })), ME);
    expect(del.unreadUnknown).toBe(true);
    expect(del.chat.unread).toBe(100);
  });

  it('uncounts an unread message deleted for everyone, and updates the preview', () => {
    let c = chat();
    c = applyEventToChat(c, e(1, 'message:created', msg(1)), ME).chat;
    c = applyEventToChat(c, e(2, 'message:deleted', msg(1, PEER, { text: null, deletedAt: at(2) })), ME).chat;
    expect(c.unread).toBe(0);
    expect(c.lastMessage?.deletedAt).toBe(at(2));
  });

  it('my read to the end clears unread; a partial read asks for a recount; the peer read moves "seen"', () => {
    let c = chat();
    c = applyEventToChat(c, e(1, 'message:created', msg(1)), ME).chat;
    c = applyEventToChat(c, e(2, 'message:created', msg(2)), ME).chat;
    const partial = applyEventToChat(c, e(3, 'chat:read', { userId: ME, lastReadSeq: 1 }), ME);
    expect(partial.unreadUnknown).toBe(true);
    const full = applyEventToChat(c, e(3, 'chat:read', { userId: ME, lastReadSeq: 2 }), ME);
    expect(full.chat.unread).toBe(0);
    expect(full.chat.lastReadSeq).toBe(2);
    const seen = applyEventToChat(c, e(3, 'chat:read', { userId: PEER, lastReadSeq: 2 }), ME);
    expect(seen.chat.peerReadSeq).toBe(2);
  });

  it('renames a group unless I named it myself, and tracks members and my role', () => {
    const g = chat({ kind: 'group', peer: null, groupTitle: 'Old', title: 'Old', memberCount: 3, peerReadSeq: null });
    expect(applyEventToChat(g, e(1, 'chat:renamed', { title: 'New' }), ME).chat.title).toBe('New');
    const mine = applyEventToChat({ ...g, customName: 'Mine', title: 'Mine' }, e(1, 'chat:renamed', { title: 'New' }), ME).chat;
    expect(mine.title).toBe('Mine');
    expect(mine.groupTitle).toBe('New');
    expect(applyEventToChat(g, e(1, 'chat:member-removed', { userId: 'x', by: ME }), ME).chat.memberCount).toBe(2);
    expect(applyEventToChat(g, e(1, 'chat:member-updated', { userId: ME, role: 'admin' }), ME).chat.myRole).toBe('admin');
  });
});

describe('mergeUnlogged', () => {
  it('takes what no event carries from a snapshot at another seq, my draft included, and keeps the rest', () => {
    const draft = { chatId: 'c', text: 'half a thought', replyToId: null, updatedAt: at(5) };
    const held = chat({ lastSeq: 4, unread: 2, customName: null });
    const fresh = chat({ lastSeq: 7, unread: 5, customName: 'Mine', draft, mutedUntil: 'forever' });
    const merged = mergeUnlogged(held, fresh);
    expect([merged.draft, merged.customName, merged.title, merged.mutedUntil]).toEqual([draft, 'Mine', 'Mine', 'forever']);
    expect([merged.lastSeq, merged.unread]).toEqual([4, 2]);
    expect(mergeUnlogged({ ...held, draft }, chat({ lastSeq: 7, draft: null })).draft).toBeNull();
  });
});

describe('chatDisplayTitle', () => {
  it('prefers my custom name, then the group title or the peer', () => {
    expect(chatDisplayTitle(chat())).toBe('User peer');
    expect(chatDisplayTitle(chat({ customName: 'Mum' }))).toBe('Mum');
    expect(chatDisplayTitle(chat({ kind: 'group', groupTitle: 'G', peer: null }))).toBe('G');
  });
});

describe('message windows', () => {
  it('keeps seq order and one row per id', () => {
    let w = upsertMessage([], msg(3));
    w = upsertMessage(w, msg(1));
    w = upsertMessage(w, msg(3, PEER, { text: 'again' }));
    expect(w.map((m) => [m.seq, m.text])).toEqual([[1, 'text 1'], [3, 'again']]);
  });

  it('applies edits, tombstones (refreshing quotes) and reactions', () => {
    const reply = msg(2, ME, { replyTo: { id: 'm1', seq: 1, senderId: PEER, senderName: 'P', excerpt: 'text 1' } });
    let w = [msg(1), reply];
    w = applyEventToWindow(w, e(3, 'message:updated', msg(1, PEER, { text: 'fixed', editedAt: at(3) })));
    expect(w[0]?.text).toBe('fixed');
    expect(w[1]?.replyTo?.excerpt).toBe('fixed');
    w = applyEventToWindow(w, e(4, 'reaction:changed', { messageId: 'm2', reactions: [{ emoji: '👍', userIds: [PEER] }] }));
    expect(w[1]?.reactions).toHaveLength(1);
    w = applyEventToWindow(w, e(5, 'message:deleted', msg(1, PEER, { text: null, deletedAt: at(5) })));
    expect(w[0]?.deletedAt).toBe(at(5));
    expect(w[1]?.replyTo?.excerpt).toBeNull();
  });

  it('counts unread from the window only when it reaches the read pointer', () => {
    const w = [msg(5), msg(6, ME), msg(7), msg(8, PEER, { deletedAt: at(9), text: null })];
    expect(unreadFromWindow(w, true, ME, 5)).toBe(1);
    expect(unreadFromWindow(w, true, ME, 3)).toBeNull();
    expect(unreadFromWindow(w, false, ME, 3)).toBe(2);
    expect(firstUnreadSeq(w, ME, 5)).toBe(7);
  });
});

describe('members', () => {
  const m = (id: string, lastReadSeq: number): MemberView => ({ user: user(id), role: 'member', joinedAt: at(0), lastReadSeq });

  it('moves read pointers forward only, adds once, removes and changes roles', () => {
    let list = [m('a', 3), m('b', 1)];
    list = applyEventToMembers(list, e(9, 'chat:read', { userId: 'a', lastReadSeq: 2 }));
    expect(list[0]?.lastReadSeq).toBe(3);
    list = applyEventToMembers(list, e(10, 'chat:member-added', { members: [m('c', 9), m('a', 0)] }));
    expect(list.map((x) => x.user.id)).toEqual(['a', 'b', 'c']);
    list = applyEventToMembers(list, e(11, 'chat:member-updated', { userId: 'c', role: 'admin' }));
    expect(list[2]?.role).toBe('admin');
    list = applyEventToMembers(list, e(12, 'chat:member-removed', { userId: 'b', by: 'a' }));
    expect(list.map((x) => x.user.id)).toEqual(['a', 'c']);
  });

  it('"seen by" lists members past the message, not the sender or me', () => {
    const list = [m(ME, 9), m('a', 5), m('b', 4), m('s', 9)];
    expect(seenBy(list, { seq: 5, senderId: 's' }, ME).map((x) => x.user.id)).toEqual(['a']);
  });
});
