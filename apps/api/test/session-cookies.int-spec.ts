import { DataSource } from 'typeorm';
import { ACCESS_COOKIE, type AuthView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, refreshCookieOf, register } from './support/factories.js';

let t: TestApp;
let db: DataSource;

beforeAll(async () => {
  t = await createTestApp({ REFRESH_REUSE_GRACE_SECONDS: '30' });
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

const cookiesOf = (res: { headers: Record<string, unknown> }): string[] => {
  const raw = res.headers['set-cookie'];
  return Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
};

async function tokensOf(sessionId: string): Promise<number> {
  const [row] = (await db.query('SELECT count(*)::int AS n FROM refresh_tokens WHERE session_id = $1', [sessionId])) as { n: number }[];
  return row?.n ?? 0;
}

async function revokedReason(sessionId: string): Promise<string | null> {
  const [row] = (await db.query('SELECT revoked_reason FROM sessions WHERE id = $1', [sessionId])) as { revoked_reason: string | null }[];
  return row?.revoked_reason ?? null;
}

describe('the access cookie for server-side rendering', () => {
  it('is set with the refresh cookie: httpOnly, SameSite=Lax, the whole site, expiring with the token', async () => {
    const u = await register(t.http);
    const res = await t.http.post('/api/auth/refresh').set('Cookie', u.cookie).expect(200);
    const access = cookiesOf(res).find((c) => c.startsWith(`${ACCESS_COOKIE}=`));
    expect(access).toBeDefined();
    expect(access).toMatch(/; HttpOnly/i);
    expect(access).toMatch(/; SameSite=Lax/i);
    expect(access).toMatch(/; Path=\/(;|$)/);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(access ?? '')?.[1] ?? '');
    const body = res.body as AuthView;
    expect(Math.abs(expires - Date.parse(body.accessTokenExpiresAt))).toBeLessThan(1500);
    expect(decodeURIComponent(access?.split(';')[0]?.split('=')[1] ?? '')).toBe(body.accessToken);
  });

  it('is never accepted as a credential by the API', async () => {
    const u = await register(t.http);
    await t.http.get('/api/users/me').set('Cookie', `${ACCESS_COOKIE}=${u.token}`).expect(401);
  });

  it('is cleared on sign-out', async () => {
    const u = await register(t.http);
    const res = await t.http.post('/api/auth/logout').set(...bearer(u.token)).expect(204);
    expect(cookiesOf(res).some((c) => c.startsWith(`${ACCESS_COOKIE}=;`))).toBe(true);
  });
});

describe('rotating the same refresh token again within the grace window', () => {
  it('answers parallel rotations with one successor, and the session lives on', async () => {
    const u = await register(t.http);
    const replies = await Promise.all(Array.from({ length: 6 }, () => t.http.post('/api/auth/refresh').set('Cookie', u.cookie)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const successors = new Set(replies.map((r) => refreshCookieOf(r.headers['set-cookie'])));
    expect(successors.size).toBe(1);
    expect(await tokensOf(u.auth.sessionId)).toBe(2);
    const [next] = [...successors];
    await t.http.post('/api/auth/refresh').set('Cookie', next ?? '').expect(200);
    expect(await revokedReason(u.auth.sessionId)).toBeNull();
  });

  it('gives a client whose rotated cookie was lost the same pair again, not a sign-out', async () => {
    const u = await register(t.http);
    const first = await t.http.post('/api/auth/refresh').set('Cookie', u.cookie).expect(200);
    // The response never reached the browser: it presents the old token once more.
    const retry = await t.http.post('/api/auth/refresh').set('Cookie', u.cookie).expect(200);
    expect(refreshCookieOf(retry.headers['set-cookie'])).toBe(refreshCookieOf(first.headers['set-cookie']));
    await t.http.get('/api/users/me').set(...bearer((retry.body as AuthView).accessToken)).expect(200);
    expect(await tokensOf(u.auth.sessionId)).toBe(2);
  });

  it('still ends the session when a spent token comes back after the grace window', async () => {
    const strict = await createTestApp({ REFRESH_REUSE_GRACE_SECONDS: '0' });
    try {
      const u = await register(strict.http);
      const first = await strict.http.post('/api/auth/refresh').set('Cookie', u.cookie).expect(200);
      await new Promise((r) => setTimeout(r, 20));
      await strict.http.post('/api/auth/refresh').set('Cookie', u.cookie).expect(401);
      await strict.http.post('/api/auth/refresh').set('Cookie', refreshCookieOf(first.headers['set-cookie'])).expect(401);
      expect(await revokedReason(u.auth.sessionId)).toBe('TOKEN_REUSED');
    } finally {
      await strict.close();
    }
  });
});
