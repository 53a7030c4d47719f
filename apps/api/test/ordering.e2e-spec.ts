import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CHAT_LIMITS, type MessageView } from '@app/contracts';
import { ChatLogPruner } from '../src/chats/chat-log-pruner.js';
import { createTestApp, eventually, type TestApp } from './support/app.js';
import { register } from './support/factories.js';
import { openChat } from './support/chats.js';
import { closeAllSockets, connected, emitAck, record } from './support/sockets.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

describe('live order', () => {
  it('one fast sender, 250 messages back to back: the other member receives them in seq order', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const [sa, sb] = await Promise.all([connected(t.url, a.token), connected(t.url, b.token)]);
    const seen = record(sb, 'message:created');
    const n = 250;
    // Past seq 100 and 200, where the event log used to be pruned between COMMIT and the broadcast.
    const acks = await Promise.all(
      Array.from({ length: n }, (_, i) => emitAck<'message:send', MessageView>(sa, 'message:send', { chatId: chat.id, clientId: randomUUID(), text: `m${i}` }, 20_000)),
    );
    expect(acks.filter((x) => !x.ok)).toEqual([]);
    await eventually(async () => (seen.length >= n ? true : undefined), 20_000);
    const arrived = seen.map((e) => e.seq);
    expect(arrived).toEqual([...arrived].sort((x, y) => x - y));
    expect(new Set(arrived).size).toBe(n);
    // Socket.IO keeps one connection's order, so the sender's order is the stored order too.
    expect(seen.map((e) => e.data.text)).toEqual(Array.from({ length: n }, (_, i) => `m${i}`));
  });

  it('the event log is still trimmed to its window, in the background', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const chat = await openChat(t.http, a.token, [b.auth.user.id]);
    const db = t.app.get(DataSource);
    const last = CHAT_LIMITS.eventWindow + 250;
    await db.query('UPDATE chats SET last_seq = $2 WHERE id = $1', [chat.id, last]);
    await db.query(
      `INSERT INTO chat_events (chat_id, seq, type, data) SELECT $1, g, 'message:created', '{}' FROM generate_series(1, $2::int) g ON CONFLICT DO NOTHING`,
      [chat.id, last],
    );
    expect(await t.app.get(ChatLogPruner).run()).toBeGreaterThanOrEqual(250);
    const [left] = (await db.query('SELECT min(seq)::int AS first, count(*)::int AS n FROM chat_events WHERE chat_id = $1', [chat.id])) as { first: number; n: number }[];
    expect(left).toEqual({ first: 251, n: CHAT_LIMITS.eventWindow });
  });
});
