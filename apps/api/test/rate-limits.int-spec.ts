import { DataSource } from 'typeorm';
import type { ApiErrorBody } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { newUser, register, uniqueName } from './support/factories.js';

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
