import { randomUUID } from 'node:crypto';
import pgDriver from 'pg';
import type { Response } from 'supertest';
import type { Ack, ChatView, HistoryView, MessageView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { openChat } from './support/chats.js';
import { closeAllSockets, connect, connected, connectError, emitAck, sleep, type ClientSocket } from './support/sockets.js';
import { LEVEL, LogCapture } from './support/logs.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-pg.js';

/**
 * The database stopped and frozen under live sends, on a PostgreSQL of this file's own, with the
 * default timeouts: every send and request is answered 503 UNAVAILABLE + Retry-After (acks
 * UNAVAILABLE + retryAfterMs) within seconds, and after recovery every retried send is stored once.
 */
const ANSWER_WITHIN_MS = 6500;
const SENDS = 4;
/** Small, so that the test can take every slot; above the API's pool of 20. */
const MAX_CONNECTIONS = 30;

const logs = new LogCapture();
let pg: PrivatePostgres;
let t: TestApp;
let a: Registered;
let chat: ChatView;
let sa: ClientSocket;

beforeAll(async () => {
  pg = await startPrivatePostgres([`max_connections=${MAX_CONNECTIONS}`]);
  t = await createTestApp({ DATABASE_URL: pg.url, LOG_LEVEL: 'info' }, { logs });
  await t.listen();
  const b = await register(t.http);
  a = await register(t.http);
  chat = await openChat(t.http, a.token, [b.auth.user.id]);
}, 60_000);
afterEach(() => closeAllSockets());
afterAll(async () => {
  await t?.close();
  await pg?.destroy();
}, 30_000);

interface Attempt {
  clientId: string;
  text: string;
  via: 'rest' | 'socket';
}

const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
};

const restSend = (x: Attempt): Promise<Response> =>
  t.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(a.token)).send({ clientId: x.clientId, text: x.text });
const socketSend = (x: Attempt): Promise<Ack<MessageView>> =>
  emitAck<'message:send', MessageView>(sa, 'message:send', { chatId: chat.id, clientId: x.clientId, text: x.text }, 15_000);

const attemptsOf = (label: string, n: number): Attempt[] =>
  Array.from({ length: n }, (_, i) => ({ clientId: randomUUID(), text: `${label} ${i}`, via: i % 2 === 0 ? 'rest' : 'socket' }));

/** One send's answer, in short: stored, or refused with its code and whether it says when to retry. */
async function outcome(x: Attempt): Promise<string> {
  if (x.via === 'socket') {
    const ack = await socketSend(x);
    return ack.ok ? 'stored' : `${ack.error.code}${(ack.error.retryAfterMs ?? 0) > 0 ? ' +retry' : ''}`;
  }
  const res = await restSend(x);
  if (res.status === 201 || res.status === 200) return 'stored';
  const code = (res.body as { error?: { code?: string } }).error?.code;
  return `${res.status} ${code}${/^[1-9]\d*$/.test(String(res.headers['retry-after'])) ? ' +retry' : ''}`;
}

const REFUSED = { socket: 'UNAVAILABLE +retry', rest: '503 UNAVAILABLE +retry' } as const;

/** Sends already on their way when the fault hits: each is stored, or refused in time to be sent again. */
async function expectStoredOrRefused(racing: Promise<{ value: string; ms: number }[]>, attempts: Attempt[]): Promise<void> {
  const answers = await racing;
  attempts.forEach((x, i) => {
    expect(answers[i].ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(['stored', REFUSED[x.via]]).toContain(answers[i].value);
  });
}

/**
 * Sends over REST and the socket while the database is out; each answer is a timely, retryable
 * refusal, and so is a new socket's handshake (UNAVAILABLE, not a bad token).
 */
async function sendDuringOutage(label: string): Promise<Attempt[]> {
  const attempts = attemptsOf(label, 2 * SENDS);
  const answers = await Promise.all(attempts.map((x) => timed(() => outcome(x))));
  const handshake = await timed(() => connectError(connect(t.url, a.token), 15_000));
  expect(handshake.ms).toBeLessThan(ANSWER_WITHIN_MS);
  expect(handshake.value.data?.code).toBe('UNAVAILABLE');
  const health = await timed(() => t.http.get('/api/health'));
  const history = await timed(() => t.http.get(`/api/chats/${chat.id}/messages`).set(...bearer(a.token)));
  attempts.forEach((x, i) => {
    expect(answers[i].ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(answers[i].value).toBe(REFUSED[x.via]);
  });
  for (const { value, ms } of [health, history]) {
    expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect([value.status, value.headers['retry-after']]).toEqual([503, expect.stringMatching(/^[1-9]\d*$/)]);
  }
  return attempts;
}

/** Retries each refused send with its client id until stored, then once more: one message each. */
async function retryAfterRecovery(attempts: Attempt[]): Promise<void> {
  const until = Date.now() + 20_000;
  const ids = new Map<string, string>();
  for (const x of attempts) {
    for (;;) {
      const id = x.via === 'rest'
        ? await restSend(x).then((r) => (r.status === 201 || r.status === 200 ? (r.body as MessageView).id : null))
        : await socketSend(x).then((ack) => (ack.ok ? ack.data.id : null));
      if (id) {
        ids.set(x.clientId, id);
        break;
      }
      if (Date.now() > until) throw new Error(`${x.text} was not stored after recovery`);
      await sleep(250);
    }
  }
  for (const x of attempts) {
    const again = await restSend(x);
    expect([again.status, (again.body as MessageView).id]).toEqual([200, ids.get(x.clientId)]);
  }
  const history = (await t.http.get(`/api/chats/${chat.id}/messages`).query({ limit: 100 }).set(...bearer(a.token)).expect(200)).body as HistoryView;
  const texts = history.items.map((m) => m.text).filter((text) => attempts.some((x) => x.text === text));
  expect(texts.sort()).toEqual(attempts.map((x) => x.text).sort());
  await t.http.get('/api/health').expect(200);
}

/** The outage is logged once when it starts and once when it ends (with a count), never per request. */
function expectOutageLoggedOnce(): void {
  // Failed queries are logged by operation, never with their SQL parameters.
  expect(logs.text()).not.toContain('"parameters"');
  const errors = logs.atLeast(LEVEL.error);
  expect(errors.map((l) => l.msg)).toEqual([expect.stringMatching(/database unavailable/i)]);
  expect(errors.some((l) => JSON.stringify(l).includes('"stack"'))).toBe(false);
  const back = logs.lines.filter((l) => /database available again/i.test(l.msg ?? ''));
  expect(back).toHaveLength(1);
  expect(Number(back[0].failures)).toBeGreaterThanOrEqual(2 * SENDS);
}

describe('PostgreSQL out of connections (53300)', () => {
  it('answers 503 / UNAVAILABLE to requests that need a connection it refuses, and serves again once slots free', async () => {
    const held: pgDriver.Client[] = [];
    try {
      for (;;) {
        const client = new pgDriver.Client({ connectionString: pg.url });
        const refused = await client.connect().then(() => null, (e: { code?: string }) => e.code ?? 'refused');
        if (refused) {
          expect(refused).toBe('53300');
          break;
        }
        held.push(client);
        expect(held.length).toBeLessThanOrEqual(MAX_CONNECTIONS);
      }
      // More at once than the pool holds now: the ones needing a new connection are refused by the server.
      const answers = await Promise.all(Array.from({ length: 25 }, () => timed(() => t.http.get(`/api/chats/${chat.id}/messages`).set(...bearer(a.token)))));
      for (const { value, ms } of answers) {
        expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
        expect(value.status === 200 || (value.status === 503 && /^[1-9]\d*$/.test(String(value.headers['retry-after'])))).toBe(true);
      }
      expect(answers.filter((x) => x.value.status === 503).length).toBeGreaterThan(0);
    } finally {
      await Promise.all(held.map((c) => c.end()));
    }
    const again = await Promise.all(Array.from({ length: 25 }, () => t.http.get(`/api/chats/${chat.id}/messages`).set(...bearer(a.token))));
    expect(again.map((r) => r.status)).toEqual(again.map(() => 200));
    await t.http.get('/api/health').expect(200);
  }, 60_000);
});

describe('PostgreSQL stopped during sends', () => {
  it('answers 503 / UNAVAILABLE within seconds, then stores every retried send once', async () => {
    sa = await connected(t.url, a.token);
    logs.clear();
    const inFlight = attemptsOf('stopped in flight', 2 * SENDS);
    const racing = Promise.all(inFlight.map((x) => timed(() => outcome(x))));
    await pg.stop();
    let attempts: Attempt[];
    try {
      await expectStoredOrRefused(racing, inFlight);
      attempts = await sendDuringOutage('stopped');
    } finally {
      await pg.start();
    }
    await retryAfterRecovery([...inFlight, ...attempts]);
    expectOutageLoggedOnce();
  }, 60_000);
});

describe('PostgreSQL frozen (SIGSTOP) during sends', () => {
  it('answers 503 / UNAVAILABLE within seconds, then stores every retried send once', async () => {
    sa = await connected(t.url, a.token);
    logs.clear();
    const inFlight = attemptsOf('frozen in flight', 2 * SENDS);
    const racing = Promise.all(inFlight.map((x) => timed(() => outcome(x))));
    await pg.pause();
    let attempts: Attempt[];
    try {
      await expectStoredOrRefused(racing, inFlight);
      attempts = await sendDuringOutage('frozen');
    } finally {
      await pg.resume();
    }
    await retryAfterRecovery([...inFlight, ...attempts]);
    expectOutageLoggedOnce();
  }, 60_000);
});
