import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ChatEventsView, ChatView, MessageView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register } from './support/factories.js';
import { closeAllSockets, connect, connected, emitAck, record, sleep, waitForEvent } from './support/sockets.js';
import { ChatReplica, openChat, sendMessage } from './support/chats.js';

/** The delivery model: at-least-once from clients + idempotency, seq order, gap-filling catch-up. */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const fetcher = (token: string, chatId: string) => async (after: number): Promise<ChatEventsView> =>
  (await t.http.get(`/api/chats/${chatId}/events`).query({ after }).set(...bearer(token)).expect(200)).body as ChatEventsView;

async function serverSeqs(chatId: string): Promise<number[]> {
  const rows = (await t.app.get(DataSource).query('SELECT seq FROM messages WHERE chat_id = $1 ORDER BY seq', [chatId])) as { seq: string }[];
  return rows.map((r) => Number(r.seq));
}

it('stores and delivers once a send retried after its ack was lost', async () => {
  const [a, b] = await Promise.all([register(t.http), register(t.http)]);
  const chat = await openChat(t.http, a.token, [b.auth.user.id]);
  const sb = await connected(t.url, b.token);
  const delivered = record(sb, 'message:created');
  const flaky = await connected(t.url, a.token);
  const clientId = randomUUID();
  // The send leaves, then the connection dies before the ack can arrive.
  flaky.emit('message:send', { chatId: chat.id, clientId, text: 'survives a drop' }, () => undefined);
  flaky.disconnect();
  await sleep(200);
  const again = await connected(t.url, a.token);
  const retry = await emitAck<'message:send', MessageView>(again, 'message:send', { chatId: chat.id, clientId, text: 'survives a drop' });
  expect(retry.ok).toBe(true);
  await sleep(200);
  expect(delivered.filter((e) => e.data.clientId === clientId)).toHaveLength(1);
  expect(await serverSeqs(chat.id)).toEqual([1]);
});

it('shows a message committed while a client catches up exactly once', async () => {
  const [a, b] = await Promise.all([register(t.http), register(t.http)]);
  const chat = await openChat(t.http, a.token, [b.auth.user.id]);
  for (let i = 0; i < 30; i += 1) await sendMessage(t.http, a.token, chat.id, `before ${i}`);
  const replica = new ChatReplica(chat.id, 0);
  const sb = await connected(t.url, b.token);
  replica.attach(sb, fetcher(b.token, chat.id));
  // Catch-up and new sends overlap: live events arrive while the log is being read.
  const sending = (async () => {
    for (let i = 0; i < 20; i += 1) await sendMessage(t.http, a.token, chat.id, `during ${i}`);
  })();
  await replica.catchUp(fetcher(b.token, chat.id));
  await sending;
  await sleep(300);
  await replica.catchUp(fetcher(b.token, chat.id));
  expect(replica.applied).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  expect([...replica.messages.values()].map((m) => m.seq)).toEqual(await serverSeqs(chat.id));
});

it('converges a client that flaps its connection while others send', async () => {
  const [a, b, c] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
  const group = await openChat(t.http, a.token, [b.auth.user.id, c.auth.user.id], 'Flappers');
  const steady = new ChatReplica(group.id);
  steady.attach(await connected(t.url, c.token), fetcher(c.token, group.id));
  const flapper = new ChatReplica(group.id);
  const senders = [a, c].map((u) => (async () => {
    const s = await connected(t.url, u.token);
    for (let i = 0; i < 40; i += 1) {
      const ack = await emitAck<'message:send', MessageView>(s, 'message:send', { chatId: group.id, clientId: randomUUID(), text: `${u.request.username} ${i}` });
      expect(ack.ok).toBe(true);
      if (i % 10 === 0) await emitAck(s, 'chat:read', { chatId: group.id, seq: i });
    }
  })());
  const flapping = (async () => {
    for (let round = 0; round < 15; round += 1) {
      const s = connect(t.url, b.token);
      await new Promise<void>((resolve) => s.once('connect', () => resolve()));
      flapper.attach(s, fetcher(b.token, group.id));
      await flapper.catchUp(fetcher(b.token, group.id));
      await sleep(10 + (round % 4) * 15);
      s.disconnect();
      await sleep(5 + (round % 3) * 10);
    }
  })();
  await Promise.all([...senders, flapping]);
  await flapper.catchUp(fetcher(b.token, group.id));
  await sleep(300);
  await steady.catchUp(fetcher(c.token, group.id));
  const head = ((await t.http.get(`/api/chats/${group.id}`).set(...bearer(b.token))).body as ChatView).lastSeq;
  expect(flapper.lastSeq).toBe(head);
  expect(steady.lastSeq).toBe(head);
  expect(flapper.applied).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  expect(steady.applied).toEqual(flapper.applied);
  const seqs = await serverSeqs(group.id);
  // 80 sent, plus the group's "created" service message.
  expect(seqs).toHaveLength(81);
  expect([...flapper.messages.keys()].sort()).toEqual([...steady.messages.keys()].sort());
  // b never read anything: its unread counter equals the server's count of others' messages.
  const forB = (await t.http.get(`/api/chats/${group.id}`).set(...bearer(b.token))).body as ChatView;
  const fromOthers = [...flapper.messages.values()].filter((m) => m.senderId !== b.auth.user.id).length;
  expect(forB.unread).toBe(Math.min(fromOthers, 100));
});

it('stops delivering to a removed member at once', async () => {
  const [owner, m1, m2] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
  const group = await openChat(t.http, owner.token, [m1.auth.user.id, m2.auth.user.id], 'Cut');
  const s2 = await connected(t.url, m2.token);
  const removed = waitForEvent(s2, 'chat:removed');
  const afterRemoval = record(s2, 'message:created');
  await t.http.delete(`/api/chats/${group.id}/members/${m2.auth.user.id}`).set(...bearer(owner.token)).expect(204);
  expect(await removed).toEqual({ chatId: group.id });
  await sendMessage(t.http, owner.token, group.id, 'not for m2');
  await sleep(200);
  expect(afterRemoval).toHaveLength(0);
});
