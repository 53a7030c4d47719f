import { randomUUID } from 'node:crypto';
import type { ApiErrorBody, HistoryView, MessageEntity, MessageHistoryView, MessageView } from '@app/contracts';
import { DataSource } from 'typeorm';
import { convertMarkedText } from '../src/database/migrations/1733000500000-formatting.js';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat, sendMessage } from './support/chats.js';
import { closeAllSockets, connected, emitAck } from './support/sockets.js';

let t: TestApp;
let ann: Registered;
let bob: Registered;
let chatId: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
  [ann, bob] = await Promise.all([register(t.http), register(t.http)]);
  chatId = (await openChat(t.http, ann.token, [bob.auth.user.id])).id;
});
afterAll(async () => {
  closeAllSockets();
  await t.close();
});

const send = (text: string, entities: unknown, clientId = randomUUID()) =>
  t.http.post(`/api/chats/${chatId}/messages`).set(...bearer(ann.token)).send({ clientId, text, entities });

async function history(): Promise<MessageView[]> {
  return ((await t.http.get(`/api/chats/${chatId}/messages`).set(...bearer(bob.token)).expect(200)).body as HistoryView).items;
}

describe('formatting as plain text plus ranges', () => {
  it('stores what was sent over REST and the socket, and every reader gets it back', async () => {
    const entities: MessageEntity[] = [{ type: 'bold', offset: 0, length: 4 }, { type: 'link', offset: 5, length: 4, url: 'https://example.org/docs' }];
    const rest = (await send('read docs now', entities).expect(201)).body as MessageView;
    expect(rest.entities).toEqual(entities);
    const socket = await connected(t.url, ann.token);
    const ack = await emitAck<'message:send', MessageView>(socket, 'message:send', { chatId, clientId: randomUUID(), text: 'a spoiler here', entities: [{ type: 'spoiler', offset: 2, length: 7 }] });
    expect(ack).toMatchObject({ ok: true, data: { text: 'a spoiler here', entities: [{ type: 'spoiler', offset: 2, length: 7 }] } });
    const items = await history();
    expect(items.find((m) => m.id === rest.id)?.entities).toEqual(entities);
    expect(items.at(-1)?.entities).toEqual([{ type: 'spoiler', offset: 2, length: 7 }]);
  });

  it('moves the ranges along when the server trims and cleans the text', async () => {
    const sent = (await send('  \r\nhi **there**\r\n', [{ type: 'bold', offset: 7, length: 5 }]).expect(201)).body as MessageView;
    expect(sent.text).toBe('hi **there**');
    expect(sent.entities).toEqual([{ type: 'bold', offset: 3, length: 5 }]);
  });

  it.each([
    ['outside the text', [{ type: 'bold', offset: 3, length: 10 }], 'A formatting range lies outside the text'],
    ['crossing', [{ type: 'bold', offset: 0, length: 3 }, { type: 'italic', offset: 2, length: 3 }], 'Formatting ranges may nest but not cross'],
    ['a javascript: link', [{ type: 'link', offset: 0, length: 3, url: 'javascript:alert(1)' }], 'Links may only open http, https or mailto addresses'],
  ])('refuses ranges %s with 400, storing nothing', async (_name, entities, message) => {
    const before = (await history()).length;
    const res = await send('hello', entities).expect(400);
    expect((res.body as ApiErrorBody).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'entities', code: 'invalid', message }] });
    expect((await history()).length).toBe(before);
  });

  it('refuses malformed ranges (unknown type, negative, not numbers, too many) with 400', async () => {
    for (const entities of [[{ type: 'shout', offset: 0, length: 1 }], [{ type: 'bold', offset: -1, length: 1 }], [{ type: 'bold', offset: '0', length: 1 }], 'bold',
      Array.from({ length: 101 }, (_, i) => ({ type: 'bold', offset: i, length: 1 }))]) {
      const res = await send('x'.repeat(200), entities).expect(400);
      expect((res.body as ApiErrorBody).error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('edits replace the formatting, the history keeps each version’s own, and a forward copies it', async () => {
    const sent = (await send('old bold', [{ type: 'bold', offset: 4, length: 4 }]).expect(201)).body as MessageView;
    const edited = await t.http.patch(`/api/chats/${chatId}/messages/${sent.id}`).set(...bearer(ann.token))
      .send({ text: 'new italic', entities: [{ type: 'italic', offset: 4, length: 6 }] }).expect(200);
    expect((edited.body as MessageView).entities).toEqual([{ type: 'italic', offset: 4, length: 6 }]);
    const versions = ((await t.http.get(`/api/chats/${chatId}/messages/${sent.id}/history`).set(...bearer(bob.token)).expect(200)).body as MessageHistoryView).versions;
    expect(versions.map((v) => [v.text, v.entities])).toEqual([
      ['old bold', [{ type: 'bold', offset: 4, length: 4 }]],
      ['new italic', [{ type: 'italic', offset: 4, length: 6 }]],
    ]);
    const bad = await t.http.patch(`/api/chats/${chatId}/messages/${sent.id}`).set(...bearer(ann.token))
      .send({ text: 'short', entities: [{ type: 'bold', offset: 0, length: 9 }] }).expect(400);
    expect((bad.body as ApiErrorBody).error.code).toBe('VALIDATION_FAILED');

    const other = await openChat(t.http, bob.token, [ann.auth.user.id], 'Elsewhere');
    const fwd = await t.http.post(`/api/chats/${other.id}/forward`).set(...bearer(bob.token)).send({ clientId: 'f-fmt', fromChatId: chatId, messageIds: [sent.id] }).expect(201);
    const copy = (fwd.body as { items: MessageView[] }).items[0];
    expect([copy?.text, copy?.entities]).toEqual(['new italic', [{ type: 'italic', offset: 4, length: 6 }]]);
  });

  it('hides spoilers in the quote of a reply', async () => {
    const secret = (await send('the answer is 42', [{ type: 'spoiler', offset: 14, length: 2 }]).expect(201)).body as MessageView;
    const reply = await t.http.post(`/api/chats/${chatId}/messages`).set(...bearer(bob.token)).send({ clientId: randomUUID(), text: 'what?', replyToId: secret.id }).expect(201);
    expect((reply.body as MessageView).replyTo?.excerpt).toBe('the answer is ▒▒');
  });
});

describe('the migration to ranges', () => {
  it('turns text stored with its marks into plain text and ranges, in messages, their versions and the log', async () => {
    const db = t.app.get(DataSource);
    const plain = await sendMessage(t.http, ann.token, chatId, 'plain');
    const old = await sendMessage(t.http, ann.token, chatId, 'placeholder');
    // As an earlier version stored it: the marks in the text, no ranges.
    await db.query(`UPDATE messages SET text = 'a **bold** ||secret||', entities = '[]' WHERE id = $1`, [old.id]);
    await db.query(`UPDATE chat_events SET data = data || '{"text": "a **bold** ||secret||"}'::jsonb - 'entities' WHERE chat_id = $1 AND seq = $2`, [chatId, old.seq]);
    await db.query(`INSERT INTO message_edits (message_id, version, text, written_at) VALUES ($1, 0, '__was__ it', now())`, [old.id]);
    const runner = db.createQueryRunner();
    try {
      await convertMarkedText(runner, 'messages');
      await convertMarkedText(runner, 'message_edits');
    } finally {
      await runner.release();
    }
    const [row] = (await db.query('SELECT text, entities FROM messages WHERE id = $1', [old.id])) as { text: string; entities: MessageEntity[] }[];
    expect(row).toEqual({ text: 'a bold secret', entities: [{ type: 'bold', offset: 2, length: 4 }, { type: 'spoiler', offset: 7, length: 6 }] });
    const [event] = (await db.query('SELECT data FROM chat_events WHERE chat_id = $1 AND seq = $2', [chatId, old.seq])) as { data: MessageView }[];
    expect([event?.data.text, event?.data.entities]).toEqual([row?.text, row?.entities]);
    const [version] = (await db.query('SELECT text, entities FROM message_edits WHERE message_id = $1', [old.id])) as { text: string; entities: MessageEntity[] }[];
    expect(version).toEqual({ text: 'was it', entities: [{ type: 'italic', offset: 0, length: 3 }] });
    expect((await history()).find((m) => m.id === plain.id)?.entities).toEqual([]);
  });
});
