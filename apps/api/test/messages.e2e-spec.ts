import { DataSource } from 'typeorm';
import type { ChatEvent, ChatEventsView, ChatView, HistoryView, MessageView, ReadView } from '@app/contracts';
import { RealtimeServer } from '../src/realtime/realtime.server.js';
import { chatRoom } from '../src/realtime/realtime.types.js';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { closeAllSockets, connected, emitAck, record, sleep, waitForEvent, type ClientSocket } from './support/sockets.js';
import { openChat, sendMessage } from './support/chats.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

interface Pair {
  a: Registered;
  b: Registered;
  chat: ChatView;
  sa: ClientSocket;
  sb: ClientSocket;
}

async function pair(): Promise<Pair> {
  const [a, b] = await Promise.all([register(t.http), register(t.http)]);
  const chat = await openChat(t.http, a.token, [b.auth.user.id]);
  const [sa, sb] = await Promise.all([connected(t.url, a.token), connected(t.url, b.token)]);
  return { a, b, chat, sa, sb };
}

function ok<T>(ack: { ok: true; data: T } | { ok: false; error: unknown }): T {
  if (!ack.ok) throw new Error(`ack failed: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

describe('sending', () => {
  it('acks the sender and delivers to the other member with the next seq', async () => {
    const p = await pair();
    const seen = waitForEvent(p.sb, 'message:created', (e) => e.chatId === p.chat.id);
    const sent = ok(await emitAck<'message:send', MessageView>(p.sa, 'message:send', { chatId: p.chat.id, clientId: 'm-1', text: 'Hello <b>there</b>' }));
    const event = await seen;
    expect(event.seq).toBe(sent.seq);
    expect(event.data).toEqual(sent);
    expect(sent).toMatchObject({ text: 'Hello <b>there</b>', senderId: p.a.auth.user.id, clientId: 'm-1' });
  });

  it('reaches every socket from the moment it has connected', async () => {
    const p = await pair();
    // Sockets that have just heard "connect" are already in the chat's room.
    const fresh = await Promise.all(Array.from({ length: 10 }, () => connected(t.url, p.b.token)));
    const inRoom = new Set((await t.app.get(RealtimeServer).io.in(chatRoom(p.chat.id)).fetchSockets()).map((s) => s.id));
    expect(fresh.filter((s) => !inRoom.has(s.id!))).toEqual([]);
    const seen = fresh.map((s) => waitForEvent(s, 'message:created', (e) => e.chatId === p.chat.id));
    const sent = await sendMessage(t.http, p.a.token, p.chat.id, 'right away');
    expect((await Promise.all(seen)).map((e) => e.data.id)).toEqual(fresh.map(() => sent.id));
  });

  it('answers a bad payload with exactly one failed ack and stores nothing', async () => {
    const p = await pair();
    const created = record(p.sb, 'message:created');
    for (const bad of [{}, { chatId: p.chat.id, clientId: 'x', text: '' }, { chatId: p.chat.id, clientId: 'bad id!', text: 'x' },
      { chatId: p.chat.id, clientId: 'x', text: 5 }, { chatId: p.chat.id, clientId: 'x', text: 'y', extra: true }, null]) {
      const ack = await emitAck<'message:send', MessageView>(p.sa, 'message:send', bad as never);
      expect(ack.ok).toBe(false);
      if (!ack.ok) expect(ack.error.code).toBe('VALIDATION_FAILED');
    }
    await sleep(100);
    expect(created).toHaveLength(0);
    const history = (await t.http.get(`/api/chats/${p.chat.id}/messages`).set(...bearer(p.a.token))).body as HistoryView;
    expect(history.items).toHaveLength(0);
  });

  it('stores a retried send once and returns the stored message, even with other content', async () => {
    const p = await pair();
    const created = record(p.sb, 'message:created');
    const first = ok(await emitAck<'message:send', MessageView>(p.sa, 'message:send', { chatId: p.chat.id, clientId: 'retry-1', text: 'once' }));
    const again = ok(await emitAck<'message:send', MessageView>(p.sa, 'message:send', { chatId: p.chat.id, clientId: 'retry-1', text: 'twice?' }));
    const viaRest = await t.http.post(`/api/chats/${p.chat.id}/messages`).set(...bearer(p.a.token)).send({ clientId: 'retry-1', text: 'thrice?' }).expect(200);
    expect(again).toEqual(first);
    expect(viaRest.body).toEqual(first);
    await sleep(150);
    expect(created).toHaveLength(1);
  });

  it('stores concurrent duplicates once', async () => {
    const p = await pair();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => emitAck<'message:send', MessageView>(p.sa, 'message:send', { chatId: p.chat.id, clientId: 'burst-1', text: 'same' })),
    );
    const ids = new Set(results.map((r) => ok(r).id));
    expect(ids.size).toBe(1);
    const [{ n }] = (await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM messages WHERE chat_id = $1', [p.chat.id])) as { n: number }[];
    expect(n).toBe(1);
  });

  it('orders concurrent senders by one per-chat sequence with no gaps', async () => {
    const p = await pair();
    const sends = [];
    for (let i = 0; i < 20; i += 1) {
      const s = i % 2 ? p.sa : p.sb;
      sends.push(emitAck<'message:send', MessageView>(s, 'message:send', { chatId: p.chat.id, clientId: `c-${i}-${s.id}`, text: `n${i}` }));
    }
    const seqs = (await Promise.all(sends)).map((r) => ok(r).seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('quotes a reply and refuses a quote from another chat', async () => {
    const p = await pair();
    const other = await pair();
    const original = await sendMessage(t.http, p.a.token, p.chat.id, 'the question');
    const reply = ok(await emitAck<'message:send', MessageView>(p.sb, 'message:send', { chatId: p.chat.id, clientId: 'r-1', text: 'the answer', replyToId: original.id }));
    expect(reply.replyTo).toMatchObject({ id: original.id, excerpt: 'the question', senderId: p.a.auth.user.id });
    const foreign = await sendMessage(t.http, other.a.token, other.chat.id, 'elsewhere');
    const bad = await emitAck<'message:send', MessageView>(p.sb, 'message:send', { chatId: p.chat.id, clientId: 'r-2', text: 'x', replyToId: foreign.id });
    expect(bad.ok).toBe(false);
  });
});

describe('who may send', () => {
  it('refuses a dialog blocked either way and an outsider, storing nothing', async () => {
    const p = await pair();
    const stranger = await register(t.http);
    await sendMessage(t.http, p.a.token, p.chat.id, 'before');
    await t.http.put(`/api/blocks/${p.a.auth.user.id}`).set(...bearer(p.b.token)).expect(204);
    const send = (token: string, clientId: string) =>
      t.http.post(`/api/chats/${p.chat.id}/messages`).set(...bearer(token)).send({ clientId, text: 'after' });
    expect((await send(p.a.token, 'blocked-a').expect(403)).body.error.code).toBe('FORBIDDEN');
    expect((await send(p.b.token, 'blocked-b').expect(403)).body.error.code).toBe('FORBIDDEN');
    const outsider = await send(stranger.token, 'outsider').expect(404);
    const missing = await t.http.post('/api/chats/00000000-0000-4000-8000-000000000000/messages').set(...bearer(stranger.token))
      .send({ clientId: 'outsider', text: 'after' }).expect(404);
    expect(outsider.body).toEqual(missing.body);
    const [{ n }] = (await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM messages WHERE chat_id = $1', [p.chat.id])) as { n: number }[];
    expect(n).toBe(1);
  });

  it('keeps a retry answered after its sender left the group', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const group = await openChat(t.http, a.token, [b.auth.user.id], 'Leavers');
    const sent = await sendMessage(t.http, b.token, group.id, 'bye', 'last-words');
    await t.http.delete(`/api/chats/${group.id}/members/${b.auth.user.id}`).set(...bearer(b.token)).expect(204);
    const retry = await t.http.post(`/api/chats/${group.id}/messages`).set(...bearer(b.token)).send({ clientId: 'last-words', text: 'bye' }).expect(200);
    expect(retry.body).toEqual(sent);
    await t.http.post(`/api/chats/${group.id}/messages`).set(...bearer(b.token)).send({ clientId: 'too-late', text: 'hm' }).expect(404);
  });

  it('logs the same message it acks, so catch-up and history agree', async () => {
    const p = await pair();
    const original = await sendMessage(t.http, p.a.token, p.chat.id, 'first');
    const reply = ok(await emitAck<'message:send', MessageView>(p.sb, 'message:send', { chatId: p.chat.id, clientId: 'log-1', text: 'second', replyToId: original.id }));
    const log = (await t.http.get(`/api/chats/${p.chat.id}/events`).query({ after: 0 }).set(...bearer(p.a.token)).expect(200)).body as ChatEventsView;
    expect(log.events.map((e) => e.data)).toEqual([original, reply]);
    const history = (await t.http.get(`/api/chats/${p.chat.id}/messages`).set(...bearer(p.b.token)).expect(200)).body as HistoryView;
    expect(history.items).toEqual([original, reply]);
  });
});

describe('editing, deleting, reacting', () => {
  it('shows edits and tombstones to everyone and refuses changes to others’ messages', async () => {
    const p = await pair();
    const msg = await sendMessage(t.http, p.a.token, p.chat.id, 'typo');
    const updated = waitForEvent(p.sb, 'message:updated');
    const edited = ok(await emitAck<'message:edit', MessageView>(p.sa, 'message:edit', { chatId: p.chat.id, messageId: msg.id, text: 'fixed' }));
    expect(edited.editedAt).not.toBeNull();
    expect((await updated).data.text).toBe('fixed');
    const theirs = await emitAck<'message:edit', MessageView>(p.sb, 'message:edit', { chatId: p.chat.id, messageId: msg.id, text: 'hijack' });
    expect(theirs.ok ? null : theirs.error.code).toBe('FORBIDDEN');
    const deleted = waitForEvent(p.sb, 'message:deleted');
    ok(await emitAck<'message:delete', MessageView>(p.sa, 'message:delete', { chatId: p.chat.id, messageId: msg.id }));
    expect((await deleted).data).toMatchObject({ id: msg.id, text: null });
    const history = (await t.http.get(`/api/chats/${p.chat.id}/messages`).set(...bearer(p.b.token))).body as HistoryView;
    expect(history.items).toEqual([expect.objectContaining({ id: msg.id, text: null, deletedAt: expect.any(String) })]);
  });

  it('toggles reactions live and refuses what is not one emoji', async () => {
    const p = await pair();
    const msg = await sendMessage(t.http, p.a.token, p.chat.id, 'react to me');
    const changed = waitForEvent(p.sa, 'reaction:changed');
    ok(await emitAck(p.sb, 'reaction:set', { chatId: p.chat.id, messageId: msg.id, emoji: '👍🏽', on: true }));
    expect((await changed).data.reactions).toEqual([{ emoji: '👍🏽', userIds: [p.b.auth.user.id] }]);
    const same = ok(await emitAck<'reaction:set', MessageView>(p.sb, 'reaction:set', { chatId: p.chat.id, messageId: msg.id, emoji: '👍🏽', on: true }));
    expect(same.reactions).toHaveLength(1);
    for (const emoji of ['a', '👍👍', '<img>', '']) {
      const bad = await emitAck(p.sb, 'reaction:set', { chatId: p.chat.id, messageId: msg.id, emoji, on: true });
      expect(bad.ok).toBe(false);
    }
    const view = await t.http.delete(`/api/chats/${p.chat.id}/messages/${msg.id}/reactions/${encodeURIComponent('👍🏽')}`).set(...bearer(p.b.token)).expect(200);
    expect((view.body as MessageView).reactions).toEqual([]);
  });

  it('records mentions of members in groups', async () => {
    const [a, b, c] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const g = await openChat(t.http, a.token, [b.auth.user.id], 'Mentions');
    const msg = await sendMessage(t.http, a.token, g.id, `hey @${b.request.username.toUpperCase()} and @${c.request.username}`);
    expect(msg.mentions).toEqual([b.auth.user.id]);
  });
});

describe('read pointers and unread counts', () => {
  it('moves the read pointer forward only and tells the other member', async () => {
    const p = await pair();
    for (let i = 0; i < 3; i += 1) await sendMessage(t.http, p.a.token, p.chat.id, `m${i}`);
    const chatForB = (await t.http.get(`/api/chats/${p.chat.id}`).set(...bearer(p.b.token))).body as ChatView;
    expect(chatForB.unread).toBe(3);
    const seen = waitForEvent(p.sa, 'chat:read', (e: ChatEvent<'chat:read'>) => e.data.userId === p.b.auth.user.id);
    const read = ok(await emitAck<'chat:read', ReadView>(p.sb, 'chat:read', { chatId: p.chat.id, seq: 2 }));
    expect(read).toEqual({ lastReadSeq: 2, unread: 1, unreadMentions: 0 });
    expect((await seen).data.lastReadSeq).toBe(2);
    const back = ok(await emitAck<'chat:read', ReadView>(p.sb, 'chat:read', { chatId: p.chat.id, seq: 1 }));
    expect(back.lastReadSeq).toBe(2);
    const forA = (await t.http.get(`/api/chats/${p.chat.id}`).set(...bearer(p.a.token))).body as ChatView;
    expect(forA.peerReadSeq).toBe(2);
  });

  it('caps unread counts at 100', async () => {
    const p = await pair();
    await Promise.all(Array.from({ length: 105 }, (_, i) => sendMessage(t.http, p.a.token, p.chat.id, `flood ${i}`)));
    const chat = (await t.http.get(`/api/chats/${p.chat.id}`).set(...bearer(p.b.token))).body as ChatView;
    expect(chat.unread).toBe(100);
  });
});

describe('typing', () => {
  it('reaches the other member, not the typist, and not outsiders', async () => {
    const p = await pair();
    const outsider = await register(t.http);
    const so = await connected(t.url, outsider.token);
    const own = record(p.sa, 'chat:typing');
    const strangers = record(so, 'chat:typing');
    const seen = waitForEvent(p.sb, 'chat:typing');
    ok(await emitAck(p.sa, 'chat:typing', { chatId: p.chat.id }));
    expect(await seen).toEqual({ chatId: p.chat.id, userId: p.a.auth.user.id });
    const refused = await emitAck(so, 'chat:typing', { chatId: p.chat.id });
    expect(refused.ok).toBe(false);
    await sleep(100);
    expect(own).toHaveLength(0);
    expect(strangers).toHaveLength(0);
  });
});

describe('catching up', () => {
  it('replays every kind of change after a given seq', async () => {
    const p = await pair();
    const m1 = await sendMessage(t.http, p.a.token, p.chat.id, 'one');
    await t.http.patch(`/api/chats/${p.chat.id}/messages/${m1.id}`).set(...bearer(p.a.token)).send({ text: 'one!' }).expect(200);
    await t.http.put(`/api/chats/${p.chat.id}/messages/${m1.id}/reactions/${encodeURIComponent('🔥')}`).set(...bearer(p.b.token)).expect(200);
    await t.http.post(`/api/chats/${p.chat.id}/read`).set(...bearer(p.b.token)).send({ seq: 3 }).expect(200);
    await t.http.delete(`/api/chats/${p.chat.id}/messages/${m1.id}`).set(...bearer(p.a.token)).expect(200);
    const sync = ok(await emitAck<'chat:sync', ChatEventsView>(p.sb, 'chat:sync', { chatId: p.chat.id, after: 0 }));
    expect(sync.events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'message:created'], [2, 'message:updated'], [3, 'reaction:changed'], [4, 'chat:read'], [5, 'message:deleted'],
    ]);
    expect(sync).toMatchObject({ tooLong: false, lastSeq: 5 });
    const partial = (await t.http.get(`/api/chats/${p.chat.id}/events`).query({ after: 3 }).set(...bearer(p.a.token)).expect(200)).body as ChatEventsView;
    expect(partial.events.map((e) => e.seq)).toEqual([4, 5]);
  });
});
