import { DataSource } from 'typeorm';
import type { ApiErrorBody } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, newUser, register, uniqueName } from './support/factories.js';
import { openChat } from './support/chats.js';
import { files, upload } from './support/media.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ RATE_LOGIN_PER_MINUTE: '3', RATE_REGISTER_PER_HOUR: '2', RATE_RECOVERY_PER_HOUR: '2' });
});
afterAll(() => t.close());

function expectLimited(res: { status: number; body: unknown; headers: Record<string, string> }): void {
  expect(res.status).toBe(429);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect((res.body as ApiErrorBody).error.code).toBe('RATE_LIMITED');
}

it('limits sign-in attempts with 429 and Retry-After', async () => {
  const login = uniqueName();
  for (let i = 0; i < 3; i += 1) {
    await t.http.post('/api/auth/login').send({ login, password: 'wrong password' }).expect(401);
  }
  expectLimited(await t.http.post('/api/auth/login').send({ login, password: 'wrong password' }));
});

it('limits registrations per address and stores nothing past the limit', async () => {
  await register(t.http);
  await register(t.http);
  const extra = newUser();
  expectLimited(await t.http.post('/api/auth/register').send(extra));
  const rows: unknown[] = await t.app.get(DataSource).query('SELECT id FROM users WHERE username = $1', [extra.username]);
  expect(rows).toHaveLength(0);
});

it('limits recovery requests', async () => {
  const login = `${uniqueName()}@example.test`;
  await t.http.post('/api/auth/password/forgot').send({ login }).expect(202);
  await t.http.post('/api/auth/password/forgot').send({ login }).expect(202);
  expectLimited(await t.http.post('/api/auth/password/forgot').send({ login }));
});

it('limits sends per sender, still answers retries of stored messages, and does not charge them', async () => {
  const s = await createTestApp({ RATE_SEND_PER_MINUTE: '3' });
  try {
    const [a, b] = await Promise.all([register(s.http), register(s.http)]);
    const chat = await openChat(s.http, a.token, [b.auth.user.id]);
    const send = (clientId: string, text = clientId) =>
      s.http.post(`/api/chats/${chat.id}/messages`).set(...bearer(a.token)).send({ clientId, text });
    const first = (await send('one').expect(201)).body as { id: string };
    await send('two').expect(201);
    // A retry answers with the stored message and gives its point back, so a third send still fits.
    expect((await send('one', 'again').expect(200)).body).toMatchObject({ id: first.id, text: 'one' });
    await send('three').expect(201);
    expectLimited(await send('four'));
    // Out of sends, a retry is still answered with what was stored.
    expect((await send('two').expect(200)).body).toMatchObject({ text: 'two' });
    const rows = (await s.app.get(DataSource).query('SELECT client_id FROM messages WHERE chat_id = $1 ORDER BY seq', [chat.id])) as { client_id: string }[];
    expect(rows.map((r) => r.client_id)).toEqual(['one', 'two', 'three']);
  } finally {
    await s.close();
  }
});

describe('per-user limits on what costs others attention or disk', () => {
  let s: TestApp;
  beforeAll(async () => {
    s = await createTestApp({ RATE_FRIEND_REQUESTS_PER_HOUR: '2', RATE_UPLOADS_PER_MINUTE: '2' });
  });
  afterAll(() => s.close());

  it('limits friend requests and stores nothing past the limit', async () => {
    const [me, ...others] = await Promise.all(Array.from({ length: 4 }, () => register(s.http)));
    for (const other of others.slice(0, 2)) {
      await s.http.post('/api/friends/requests').set(...bearer(me.token)).send({ userId: other.auth.user.id }).expect(201);
    }
    expectLimited(await s.http.post('/api/friends/requests').set(...bearer(me.token)).send({ userId: others[2].auth.user.id }));
    const rows = (await s.app.get(DataSource).query(
      'SELECT count(*)::int AS n FROM friendships WHERE user_low = $1 OR user_high = $1', [me.auth.user.id],
    )) as { n: number }[];
    expect(rows[0].n).toBe(2);
    // Someone else's allowance is their own.
    await s.http.post('/api/friends/requests').set(...bearer(others[2].token)).send({ userId: others[0].auth.user.id }).expect(201);
  });

  it('limits uploads per user before reading the file', async () => {
    const me = await register(s.http);
    const png = await files.png(16, 16);
    await upload(s.http, me.token, png, 'one.png').expect(201);
    await upload(s.http, me.token, png, 'two.png').expect(201);
    expectLimited(await upload(s.http, me.token, png, 'three.png'));
    const rows = (await s.app.get(DataSource).query('SELECT count(*)::int AS n FROM media WHERE owner_id = $1', [me.auth.user.id])) as { n: number }[];
    expect(rows[0].n).toBe(2);
  });
});
