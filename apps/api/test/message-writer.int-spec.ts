import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { ChatEventsView, HistoryView, MessageView } from '@app/contracts';
import { DomainError } from '../src/common/errors/domain-error.js';
import { MessageWriter, type PlainSend } from '../src/messages/message-writer.js';
import { MessagesService } from '../src/messages/messages.service.js';
import { createTestApp, eventually, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';
import { block, idOf } from './support/social.js';

let t: TestApp;
let writer: MessageWriter;

beforeAll(async () => {
  t = await createTestApp();
  writer = t.app.get(MessageWriter);
});
afterAll(() => t.close());

function plain(sender: Registered, chatId: string, text: string, opts: { clientId?: string; mentionNames?: string[] } = {}): PlainSend {
  const view: MessageView = {
    id: randomUUID(), chatId, seq: 0, senderId: idOf(sender), clientId: opts.clientId ?? randomUUID(), text, entities: [], replyTo: null, forwardedFrom: null,
    service: null, mentions: [], reactions: [], attachments: [], preview: null, listenedBy: [], createdAt: new Date().toISOString(), editedAt: null, deletedAt: null,
  };
  return { senderId: idOf(sender), view, mentionNames: opts.mentionNames ?? [] };
}

const history = async (u: Registered, chatId: string, app: TestApp = t): Promise<MessageView[]> =>
  ((await app.http.get(`/api/chats/${chatId}/messages`).set(...bearer(u.token)).expect(200)).body as HistoryView).items;

describe('sends written together', () => {
  it('gives each allowed send the next seq of its chat in arrival order, leaves the rest out, and logs what it stored', async () => {
    const [a, b, c, outsider] = await Promise.all([register(t.http), register(t.http), register(t.http), register(t.http)]);
    const group = await openChat(t.http, a.token, [idOf(b), idOf(c)], 'Batch');
    const busy = await openChat(t.http, b.token, [idOf(c)], 'Busy');
    const dialog = await openChat(t.http, a.token, [idOf(b)]);
    const blocked = await openChat(t.http, a.token, [idOf(c)]);
    await block(t.http, c, a);
    // A new group's history starts with its service line ("group created"), which took seqs.
    const g = group.lastSeq;
    const earlier = await sendMessage(t.http, a.token, group.id, 'already here', 'stored-1');

    // Queued in one tick, and enough of them to be written as one batch.
    const filler = Array.from({ length: 12 }, (_, i) => plain(c, busy.id, `busy ${i}`));
    const sends = [
      plain(a, group.id, `hi @${b.request.username} and @nobody_here`, { mentionNames: [b.request.username.toLowerCase(), 'nobody_here'] }),
      plain(b, dialog.id, 'dialog one'),
      plain(outsider, group.id, 'not a member'),
      plain(c, group.id, 'group two'),
      plain(a, blocked.id, 'blocked dialog'),
      plain(a, group.id, 'a retry', { clientId: 'stored-1' }),
      plain(a, dialog.id, 'dialog two'),
      plain(b, group.id, 'group three'),
    ];
    const batches = jest.spyOn(writer as unknown as { writeMany: (s: PlainSend[]) => Promise<unknown> }, 'writeMany');
    const [results, busyResults] = await Promise.all([Promise.all(sends.map((s) => writer.sendPlain(s))), Promise.all(filler.map((s) => writer.sendPlain(s)))]);
    expect(batches.mock.calls.map(([batch]) => batch.length)).toEqual([sends.length + filler.length]);
    batches.mockRestore();
    expect(busyResults.map((r) => r?.seq)).toEqual(Array.from({ length: 12 }, (_, i) => busy.lastSeq + i + 1));

    expect(results.map((r) => r && [r.chatId, r.seq])).toEqual([
      [group.id, g + 2], [dialog.id, 1], null, [group.id, g + 3], null, null, [dialog.id, 2], [group.id, g + 4],
    ]);
    expect(results[0]!.mentions).toEqual([idOf(b)]);
    expect((await history(b, group.id)).filter((m) => !m.service).map((m) => m.text)).toEqual(['already here', `hi @${b.request.username} and @nobody_here`, 'group two', 'group three']);
    expect(await history(a, dialog.id)).toEqual([results[1], results[6]]);
    expect(await history(a, blocked.id)).toEqual([]);
    expect((await history(a, group.id)).find((m) => !m.service)).toEqual(earlier);

    const log = (await t.http.get(`/api/chats/${group.id}/events`).query({ after: g + 1 }).set(...bearer(c.token)).expect(200)).body as ChatEventsView;
    expect(log.events.map((e) => [e.type, e.seq, e.data])).toEqual([
      ['message:created', g + 2, results[0]], ['message:created', g + 3, results[3]], ['message:created', g + 4, results[7]],
    ]);
    const [chat] = (await t.app.get(DataSource).query('SELECT last_seq, last_message_id FROM chats WHERE id = $1', [group.id])) as { last_seq: string; last_message_id: string }[];
    expect(chat).toEqual({ last_seq: String(g + 4), last_message_id: results[7]!.id });
  });

  it('stores concurrent duplicates of one send once', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const dialog = await openChat(t.http, a.token, [idOf(b)]);
    const first = plain(a, dialog.id, 'once', { clientId: 'dup-1' });
    const results = await Promise.all([first, plain(a, dialog.id, 'twice', { clientId: 'dup-1' }), plain(a, dialog.id, 'other')]
      .map((s) => writer.sendPlain(s).catch((e: { constraint?: string }) => e.constraint)));
    expect(results[0]).toMatchObject({ id: first.view.id, seq: 1, text: 'once' });
    expect(results[1]).toBe('messages_sender_client_uq');
    expect(results[2]).toMatchObject({ seq: 2, text: 'other' });
    expect((await history(a, dialog.id)).map((m) => m.text)).toEqual(['once', 'other']);
  });
});

describe('a batch spoilt by a duplicate committed meanwhile', () => {
  it('writes its sends one by one, each chat still in arrival order, the duplicate answered as taken', async () => {
    const [a, b] = await Promise.all([register(t.http), register(t.http)]);
    const [dialog, other] = await Promise.all([openChat(t.http, a.token, [idOf(b)]), openChat(t.http, b.token, [idOf(a)], 'Other')]);
    // Another instance is storing the same send right now: its row is written but not committed yet.
    const elsewhere = t.app.get(DataSource).createQueryRunner();
    await elsewhere.connect();
    await elsewhere.startTransaction();
    await elsewhere.query(
      `INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text) VALUES ($1, $2, 1000, $3, 'same-send', 'from elsewhere')`,
      [randomUUID(), dialog.id, idOf(a)],
    );
    const batches = jest.spyOn(writer as unknown as { writeMany: (s: PlainSend[]) => Promise<unknown> }, 'writeMany');
    const texts = Array.from({ length: 16 }, (_, i) => `in order ${i}`);
    const written = Promise.all([
      writer.sendPlain(plain(a, dialog.id, 'duplicate', { clientId: 'same-send' })).catch((e: { constraint?: string }) => e.constraint),
      ...texts.map((text) => writer.sendPlain(plain(b, other.id, text))),
    ]);
    // The batch waits on that row's unique key (watched from outside that transaction, whose view
    // of pg_stat_activity is frozen); then the other side commits.
    await eventually(async () => {
      const waiting = (await t.app.get(DataSource).query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%WITH input AS%'`,
      )) as unknown[];
      return waiting.length > 0 ? true : undefined;
    });
    await elsewhere.commitTransaction();
    await elsewhere.release();
    const [duplicate, ...results] = await written;
    expect(batches).toHaveBeenCalledTimes(1);
    batches.mockRestore();
    expect(duplicate).toBe('messages_sender_client_uq');
    expect(results.map((r) => r?.text)).toEqual(texts);
    expect((await history(b, other.id)).filter((m) => !m.service).map((m) => [m.seq, m.text])).toEqual(texts.map((text, i) => [other.lastSeq + i + 1, text]));
  });
});

describe('order', () => {
  it('stores one chat’s sends in the order they arrived, while other chats are written alongside', async () => {
    const [a, b, c] = await Promise.all([register(t.http), register(t.http), register(t.http)]);
    const [ab, ac] = await Promise.all([openChat(t.http, a.token, [idOf(b)]), openChat(t.http, a.token, [idOf(c)])]);
    const messages = t.app.get(MessagesService);
    const texts = Array.from({ length: 10 }, (_, i) => `quick ${i}`);
    await Promise.all(texts.flatMap((text) => [
      messages.send(idOf(a), ab.id, { clientId: `ab-${text}`, text }),
      messages.send(idOf(a), ac.id, { clientId: `ac-${text}`, text }),
    ]));
    expect((await history(b, ab.id)).map((m) => [m.seq, m.text])).toEqual(texts.map((text, i) => [i + 1, text]));
    expect((await history(c, ac.id)).map((m) => [m.seq, m.text])).toEqual(texts.map((text, i) => [i + 1, text]));
  });
});

describe('an overloaded instance', () => {
  let s: TestApp;
  beforeAll(async () => {
    s = await createTestApp({ SEND_QUEUE_MAX: '3', RATE_SEND_PER_MINUTE: '6' });
  });
  afterAll(() => s.close());

  it('refuses sends past its queue with a retryable UNAVAILABLE, stores none of them, and charges nothing for them', async () => {
    const [a, b] = await Promise.all([register(s.http), register(s.http)]);
    const dialog = await openChat(s.http, a.token, [idOf(b)]);
    const messages = s.app.get(MessagesService);
    // Six sends in one tick: three wait in the queue, three find it full.
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      messages.send(idOf(a), dialog.id, { clientId: `burst-${i}`, text: `burst ${i}` }).then(
        (sent) => sent.message.text,
        (e: DomainError) => [e.code, e.retryAfterMs],
      )));
    expect(outcomes).toEqual(['burst 0', 'burst 1', 'burst 2', ['UNAVAILABLE', 1000], ['UNAVAILABLE', 1000], ['UNAVAILABLE', 1000]]);
    expect((await history(a, dialog.id, s)).map((m) => m.clientId)).toEqual(['burst-0', 'burst-1', 'burst-2']);
    // The refused three gave their points back: three more fit in the allowance of six.
    for (const i of [3, 4, 5]) await sendMessage(s.http, a.token, dialog.id, `again ${i}`, `burst-${i}`);
    expect((await s.http.post(`/api/chats/${dialog.id}/messages`).set(...bearer(a.token)).send({ clientId: 'one-too-many', text: 'x' })).status).toBe(429);
  });
});
