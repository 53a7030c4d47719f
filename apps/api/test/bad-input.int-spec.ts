import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Decoder, Encoder, type Packet } from 'socket.io-parser';
import { io } from 'socket.io-client';
import type { Ack, ApiError, ChatView, HistoryView, MeView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { closeAllSockets, connected, emitAck, type ClientSocket } from './support/sockets.js';
import { LEVEL, LogCapture } from './support/logs.js';

/** Text no log line may ever contain: it stands for what a user typed. */
const MARK = 'user-typed-7f3a';
const CURSOR_2_63 = '9223372036854775808';
/** 20,000 nested arrays: 40 kB of JSON, far deeper than any request the API accepts. */
const DEEP = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;

const logs = new LogCapture();
let t: TestApp;
let a: Registered;
let b: Registered;
let chat: ChatView;

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'info' }, { logs });
  await t.listen();
  [a, b] = await Promise.all([register(t.http), register(t.http)]);
  chat = await openChat(t.http, a.token, [b.auth.user.id]);
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

/** A 400 VALIDATION_FAILED naming `field`, and nothing of what was sent (or any error) in the logs. */
function expectRefused(status: number, body: { error?: ApiError }, field: string): void {
  expect({ status, code: body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  expect(body.error?.details?.map((d) => d.field)).toContain(field);
  expectCleanLogs();
}

function expectCleanLogs(): void {
  expect(logs.text()).not.toContain(MARK);
  expect(logs.atLeast(LEVEL.error)).toEqual([]);
}

async function history(): Promise<HistoryView> {
  return (await t.http.get(`/api/chats/${chat.id}/messages`).set(...bearer(a.token)).expect(200)).body as HistoryView;
}

/** A socket whose encoder puts `raw` JSON where the payload says "__RAW__" (JSON.stringify cannot build it). */
function rawSocket(raw: string): ClientSocket {
  class RawEncoder extends Encoder {
    override encode(packet: Packet): string[] {
      return (super.encode(packet) as string[]).map((s) => s.replace('"__RAW__"', raw));
    }
  }
  return io(t.url, {
    path: '/socket.io', transports: ['websocket'], auth: { token: a.token }, reconnection: false, forceNew: true,
    parser: { Encoder: RawEncoder, Decoder },
  }) as ClientSocket;
}

describe('cursors past what a seq can be', () => {
  it.each(['after', 'before'])('answer 400 on %s=2^63 in history', async (field) => {
    const res = await t.http.get(`/api/chats/${chat.id}/messages`).query({ [field]: CURSOR_2_63 }).set(...bearer(a.token));
    expectRefused(res.status, res.body as { error: ApiError }, field);
  });

  it('answer 400 on after=2^63 in catch-up (REST and socket)', async () => {
    const res = await t.http.get(`/api/chats/${chat.id}/events`).query({ after: CURSOR_2_63 }).set(...bearer(a.token));
    expectRefused(res.status, res.body as { error: ApiError }, 'after');
    const s = await connected(t.url, a.token);
    const ack = await emitAck(s, 'chat:sync', { chatId: chat.id, after: 2 ** 63 });
    expect(ack.ok ? null : ack.error.details?.[0]?.field).toBe('after');
  });
});

describe('NUL is refused in every text field', () => {
  it('bio, display name and username: 400 naming the field, profile unchanged', async () => {
    for (const field of ['bio', 'displayName', 'username']) {
      const res = await t.http.patch('/api/users/me').set(...bearer(a.token)).send({ [field]: `${MARK}\u0000x` });
      expectRefused(res.status, res.body as { error: ApiError }, field);
    }
    const me = (await t.http.get('/api/users/me').set(...bearer(a.token)).expect(200)).body as MeView;
    expect(JSON.stringify(me)).not.toContain(MARK);
  });

  it('message text and chat titles: 400, nothing stored (no longer silently dropped)', async () => {
    const send = await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(a.token)).send({ clientId: randomUUID(), text: `${MARK}\u0000` });
    expectRefused(send.status, send.body as { error: ApiError }, 'text');
    const group = await t.http.post('/api/chats').set(...bearer(a.token)).send({ userIds: [b.auth.user.id], title: `${MARK}\u0000` });
    expectRefused(group.status, group.body as { error: ApiError }, 'title');
    expect((await history()).items).toEqual([]);
  });
});

describe('a lone surrogate in message text', () => {
  it('is a 400 over REST and a VALIDATION_FAILED ack over the socket; nothing stored', async () => {
    const res = await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(a.token)).send({ clientId: randomUUID(), text: `${MARK}\ud800` });
    expectRefused(res.status, res.body as { error: ApiError }, 'text');
    const s = await connected(t.url, a.token);
    const ack = await emitAck(s, 'message:send', { chatId: chat.id, clientId: randomUUID(), text: `${MARK}\udc00!` });
    expect(ack.ok ? null : [ack.error.code, ack.error.details?.[0]?.field]).toEqual(['VALIDATION_FAILED', 'text']);
    expect((await history()).items).toEqual([]);
    expectCleanLogs();
  });
});

describe('deeply nested JSON', () => {
  it('is a 400 over REST before anything recurses into it', async () => {
    const body = `{"clientId":"${randomUUID()}","text":"${MARK}","extra":${DEEP}}`;
    expect(body.length).toBeLessThan(64 * 1024);
    const res = await t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(a.token)).set('Content-Type', 'application/json').send(body);
    expectRefused(res.status, res.body as { error: ApiError }, 'extra');
    expect((await history()).items).toEqual([]);
  });

  it('is a VALIDATION_FAILED ack over the socket, and the socket keeps working', async () => {
    const s = rawSocket(`{"chatId":"${chat.id}","clientId":"${randomUUID()}","text":"${MARK}","extra":${DEEP}}`);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('connect_error', reject);
    });
    const ack = (await s.timeout(10_000).emitWithAck('message:send', '__RAW__' as never)) as Ack<unknown>;
    expect(ack.ok ? null : [ack.error.code, ack.error.details?.[0]?.field]).toEqual(['VALIDATION_FAILED', 'extra']);
    const fine = await emitAck(s, 'message:send', { chatId: chat.id, clientId: randomUUID(), text: 'after the deep one' });
    expect(fine.ok).toBe(true);
    s.disconnect();
    expect((await history()).items.map((m) => m.text)).toEqual(['after the deep one']);
    expectCleanLogs();
  });
});

describe('a failed query in the logs', () => {
  it('is named by its operation and SQLSTATE, without its parameters or the server message quoting them', async () => {
    const failed = await t.app.get(DataSource).query('SELECT id FROM users WHERE id = $1::uuid', [MARK]).then(() => null, (e: unknown) => e);
    expect(failed).not.toBeNull();
    new Logger('BadInputSpec').warn({ err: failed }, 'lookup failed');
    const line = logs.lines.find((l) => l.msg === 'lookup failed');
    expect(line?.err).toMatchObject({ statement: 'SELECT users', sqlState: '22P02' });
    expect(logs.text()).not.toContain(MARK);
  });
});

