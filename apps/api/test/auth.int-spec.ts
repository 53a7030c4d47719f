import { DataSource } from 'typeorm';
import type { ApiErrorBody, AuthView, SessionView } from '@app/contracts';
import { createTestApp, eventually, readMails, type TestApp } from './support/app.js';
import { bearer, newUser, refreshCookieOf, register, uniqueName } from './support/factories.js';

let t: TestApp;
let db: DataSource;

beforeAll(async () => {
  t = await createTestApp({ REFRESH_REUSE_GRACE_SECONDS: '0' });
  db = t.app.get(DataSource);
});
afterAll(() => t.close());

/** Users stored with this e-mail (other test files write to the same database concurrently). */
async function storedWith(email: unknown): Promise<number> {
  if (typeof email !== 'string') return 0;
  const [row] = await db.query('SELECT count(*)::int AS n FROM users WHERE email_key = lower($1)', [email]);
  return (row as { n: number }).n;
}

describe('registration', () => {
  it('creates the account, signs in and sets an httpOnly refresh cookie', async () => {
    const req = newUser();
    const res = await t.http.post('/api/auth/register').send(req).expect(201);
    const body = res.body as AuthView;
    expect(body.user).toMatchObject({ username: req.username, email: req.email, displayName: req.displayName });
    expect(body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0];
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Path=\/api\/auth/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await t.http.get('/api/users/me').set(...bearer(body.accessToken)).expect(200);
    expect(me.body.id).toBe(body.user.id);
  });

  it('compares usernames case-, width- and Unicode-normalised', async () => {
    const base = uniqueName('Ab');
    await register(t.http, { username: base });
    const fullwidth = [...base.toUpperCase()].map((c) => (/[A-Z0-9_]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('');
    for (const variant of [base.toUpperCase(), base.toLowerCase(), fullwidth]) {
      const attempt = newUser({ username: variant, email: `${uniqueName()}@example.test` });
      const res = await t.http.post('/api/auth/register').send(attempt).expect(409);
      expect(res.body).toEqual({
        error: { code: 'CONFLICT', message: 'Username is taken', details: [{ field: 'username', code: 'taken', message: 'This username is taken' }] },
      });
      expect(await storedWith(attempt.email)).toBe(0);
    }
  });

  it('refuses an e-mail registered with another case', async () => {
    const first = await register(t.http);
    const res = await t.http.post('/api/auth/register').send(newUser({ email: first.request.email.toUpperCase() })).expect(409);
    expect((res.body as ApiErrorBody).error.details?.[0].field).toBe('email');
  });

  it('refuses zero-width and other invisible characters in usernames', async () => {
    for (const username of ['ab\u200Bcd', '\uFEFFabcd', 'ab\u200Dcd', 'ab\u2060cd']) {
      const attempt = newUser({ username, email: `${uniqueName()}@example.test` });
      const res = await t.http.post('/api/auth/register').send(attempt).expect(400);
      expect(res.body).toEqual({
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Invalid input',
          details: [{ field: 'username', code: 'invisible_characters', message: 'Username must not contain invisible characters' }],
        },
      });
      expect(await storedWith(attempt.email)).toBe(0);
    }
  });

  const valid = (): Record<string, unknown> => ({ ...newUser() });
  const cases: [string, (b: Record<string, unknown>) => void, string][] = [
    ['missing username', (b) => delete b.username, 'username'],
    ['missing password', (b) => delete b.password, 'password'],
    ['oversized display name', (b) => (b.displayName = 'x'.repeat(65)), 'displayName'],
    ['oversized password', (b) => (b.password = 'p'.repeat(257)), 'password'],
    ['short password', (b) => (b.password = 'short'), 'password'],
    ['number as username', (b) => (b.username = 12345), 'username'],
    ['object as e-mail', (b) => (b.email = { $gt: '' }), 'email'],
    ['array as display name', (b) => (b.displayName = ['a']), 'displayName'],
    ['SQL-shaped username', (b) => (b.username = "x' OR '1'='1"), 'username'],
    ['HTML-shaped username', (b) => (b.username = '<script>x</script>'), 'username'],
    ['not an e-mail', (b) => (b.email = 'nobody'), 'email'],
    ['unknown field', (b) => (b.isAdmin = true), 'isAdmin'],
    ['unknown locale', (b) => (b.locale = 'xx'), 'locale'],
  ];
  it.each(cases)('answers 400 in the documented shape and stores nothing: %s', async (_name, mutate, field) => {
    const body = valid();
    const email = body.email;
    mutate(body);
    const res = await t.http.post('/api/auth/register').send(body).expect(400);
    const error = (res.body as ApiErrorBody).error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe('Invalid input');
    expect(error.details?.map((d) => d.field)).toContain(field);
    expect(Object.keys(res.body as object)).toEqual(['error']);
    expect(await storedWith(email)).toBe(0);
  });

  it('answers malformed JSON and oversized bodies in the documented shape', async () => {
    const bad = await t.http.post('/api/auth/register').set('Content-Type', 'application/json').send('{"username":').expect(400);
    expect((bad.body as ApiErrorBody).error.code).toBe('VALIDATION_FAILED');
    const huge = await t.http.post('/api/auth/register').send({ ...newUser(), bio: 'x'.repeat(200_000) }).expect(413);
    expect((huge.body as ApiErrorBody).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('sign in', () => {
  it('accepts the username (any case) or the e-mail', async () => {
    const u = await register(t.http);
    await t.http.post('/api/auth/login').send({ login: u.request.username.toUpperCase(), password: u.password }).expect(200);
    const res = await t.http.post('/api/auth/login').send({ login: ` ${u.request.email.toUpperCase()} `, password: u.password }).expect(200);
    expect((res.body as AuthView).user.id).toBe(u.auth.user.id);
  });

  it('answers a wrong password exactly like an unknown account', async () => {
    const u = await register(t.http);
    const wrong = await t.http.post('/api/auth/login').send({ login: u.request.username, password: 'not the password' }).expect(401);
    const unknown = await t.http.post('/api/auth/login').send({ login: uniqueName('ghost'), password: 'whatever it is' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('refuses requests without or with a forged access token', async () => {
    const none = await t.http.get('/api/users/me').expect(401);
    expect(none.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Authentication required' } });
    const u = await register(t.http);
    const [h, p, s] = u.token.split('.');
    const forged = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
    await t.http.get('/api/users/me').set(...bearer(forged)).expect(401);
  });
});

describe('refresh tokens', () => {
  it('rotates the refresh token on every use', async () => {
    const u = await register(t.http);
    const res = await t.http.post('/api/auth/refresh').set('Cookie', u.cookie).expect(200);
    const next = refreshCookieOf(res.headers['set-cookie']);
    expect(next).not.toBe(u.cookie);
    const again = await t.http.post('/api/auth/refresh').set('Cookie', next).expect(200);
    await t.http.get('/api/users/me').set(...bearer((again.body as AuthView).accessToken)).expect(200);
  });

  it('revokes the whole session when a spent refresh token is presented again', async () => {
    const u = await register(t.http);
    const first = await t.http.post('/api/auth/refresh').set('Cookie', u.cookie).expect(200);
    const successor = refreshCookieOf(first.headers['set-cookie']);
    const access = (first.body as AuthView).accessToken;
    await t.http.post('/api/auth/refresh').set('Cookie', u.cookie).expect(401);
    await t.http.post('/api/auth/refresh').set('Cookie', successor).expect(401);
    await t.http.get('/api/users/me').set(...bearer(access)).expect(401);
  });

  it('tolerates two tabs refreshing at once within the grace window', async () => {
    const graced = await createTestApp({ REFRESH_REUSE_GRACE_SECONDS: '30' });
    try {
      const u = await register(graced.http);
      const [a, b] = await Promise.all([
        graced.http.post('/api/auth/refresh').set('Cookie', u.cookie),
        graced.http.post('/api/auth/refresh').set('Cookie', u.cookie),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      await graced.http.post('/api/auth/refresh').set('Cookie', refreshCookieOf(b.headers['set-cookie'])).expect(200);
    } finally {
      await graced.close();
    }
  });

  it('refuses a missing or unknown refresh cookie', async () => {
    await t.http.post('/api/auth/refresh').expect(401);
    await t.http.post('/api/auth/refresh').set('Cookie', 'msg_refresh=not-a-token').expect(401);
  });

  it('signs out: the session and its tokens stop working', async () => {
    const u = await register(t.http);
    const res = await t.http.post('/api/auth/logout').set('Cookie', u.cookie).set(...bearer(u.token)).expect(204);
    expect(String(res.headers['set-cookie'])).toMatch(/msg_refresh=;/);
    await t.http.post('/api/auth/refresh').set('Cookie', u.cookie).expect(401);
    await t.http.get('/api/users/me').set(...bearer(u.token)).expect(401);
  });
});

describe('change password', () => {
  it('needs the current password and changes nothing when it is wrong', async () => {
    const u = await register(t.http);
    const res = await t.http.post('/api/auth/password').set(...bearer(u.token))
      .send({ currentPassword: 'not it at all', newPassword: 'brand new password 1' }).expect(400);
    expect((res.body as ApiErrorBody).error.details).toEqual([{ field: 'currentPassword', code: 'wrong', message: 'Current password is wrong' }]);
    await t.http.post('/api/auth/login').send({ login: u.request.username, password: u.password }).expect(200);
  });

  it('ends every other session and keeps this one', async () => {
    const u = await register(t.http);
    const other = await t.http.post('/api/auth/login').send({ login: u.request.username, password: u.password }).expect(200);
    const otherCookie = refreshCookieOf(other.headers['set-cookie']);
    await t.http.post('/api/auth/password').set(...bearer(u.token))
      .send({ currentPassword: u.password, newPassword: 'brand new password 1' }).expect(204);
    await t.http.get('/api/users/me').set(...bearer((other.body as AuthView).accessToken)).expect(401);
    await t.http.post('/api/auth/refresh').set('Cookie', otherCookie).expect(401);
    await t.http.get('/api/users/me').set(...bearer(u.token)).expect(200);
    await t.http.post('/api/auth/login').send({ login: u.request.username, password: u.password }).expect(401);
    await t.http.post('/api/auth/login').send({ login: u.request.username, password: 'brand new password 1' }).expect(200);
  });
});

describe('password recovery', () => {
  async function linkFor(email: string): Promise<string> {
    const mail = await eventually(async () => (await readMails(t.config)).find((m) => m.to === email));
    return new URL(mail.link!).searchParams.get('token')!;
  }

  it('answers the same whether or not the account exists, and mails only a real one', async () => {
    const u = await register(t.http);
    const known = await t.http.post('/api/auth/password/forgot').send({ login: u.request.email }).expect(202);
    const unknown = await t.http.post('/api/auth/password/forgot').send({ login: `${uniqueName()}@example.test` }).expect(202);
    expect(known.body).toEqual(unknown.body);
    expect(await linkFor(u.request.email)).toMatch(/^[\w-]{40,}$/);
  });

  it('resets once, ends all sessions and does not sign in', async () => {
    const u = await register(t.http);
    await t.http.post('/api/auth/password/forgot').send({ login: u.request.username }).expect(202);
    const token = await linkFor(u.request.email);
    const res = await t.http.post('/api/auth/password/reset').send({ token, password: 'recovered password 7' }).expect(204);
    expect(res.headers['set-cookie']).toBeUndefined();
    await t.http.get('/api/users/me').set(...bearer(u.token)).expect(401);
    await t.http.post('/api/auth/refresh').set('Cookie', u.cookie).expect(401);
    await t.http.post('/api/auth/login').send({ login: u.request.username, password: 'recovered password 7' }).expect(200);
    const again = await t.http.post('/api/auth/password/reset').send({ token, password: 'another password 8' }).expect(400);
    expect((again.body as ApiErrorBody).error.details?.[0]).toMatchObject({ field: 'token', code: 'invalid' });
  });

  it('lets exactly one of many concurrent redemptions of a token win', async () => {
    const u = await register(t.http);
    await t.http.post('/api/auth/password/forgot').send({ login: u.request.email }).expect(202);
    const token = await linkFor(u.request.email);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.http.post('/api/auth/password/reset').send({ token, password: `concurrent password ${i}x` })),
    );
    const winners = results.filter((r) => r.status === 204);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(5);
    const winner = results.indexOf(winners[0]);
    await t.http.post('/api/auth/login').send({ login: u.request.username, password: `concurrent password ${winner}x` }).expect(200);
  });

  it('refuses an expired token', async () => {
    const u = await register(t.http);
    await t.http.post('/api/auth/password/forgot').send({ login: u.request.email }).expect(202);
    const token = await linkFor(u.request.email);
    await db.query(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [u.auth.user.id]);
    await t.http.post('/api/auth/password/reset').send({ token, password: 'too late password 1' }).expect(400);
    await t.http.post('/api/auth/login').send({ login: u.request.username, password: u.password }).expect(200);
  });
});

describe('sessions', () => {
  it('lists devices and signs one out', async () => {
    const u = await register(t.http);
    const phone = await t.http.post('/api/auth/login').set('User-Agent', 'Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile')
      .send({ login: u.request.username, password: u.password }).expect(200);
    const list = (await t.http.get('/api/auth/sessions').set(...bearer(u.token)).expect(200)).body as SessionView[];
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current).map((s) => s.id)).toEqual([u.auth.sessionId]);
    expect(list.find((s) => !s.current)?.device).toBe('Chrome on Android');
    await t.http.delete(`/api/auth/sessions/${(phone.body as AuthView).sessionId}`).set(...bearer(u.token)).expect(204);
    await t.http.get('/api/users/me').set(...bearer((phone.body as AuthView).accessToken)).expect(401);
    expect((await t.http.get('/api/auth/sessions').set(...bearer(u.token))).body).toHaveLength(1);
  });

  it("answers another user's session exactly like a missing one", async () => {
    const a = await register(t.http);
    const b = await register(t.http);
    const theirs = await t.http.delete(`/api/auth/sessions/${b.auth.sessionId}`).set(...bearer(a.token)).expect(404);
    const missing = await t.http.delete('/api/auth/sessions/00000000-0000-4000-8000-000000000000').set(...bearer(a.token)).expect(404);
    const garbage = await t.http.delete('/api/auth/sessions/not-a-uuid').set(...bearer(a.token)).expect(404);
    expect(theirs.text).toBe(missing.text);
    expect(garbage.text).toBe(missing.text);
    await t.http.get('/api/users/me').set(...bearer(b.token)).expect(200);
  });

  it('signs out all other devices', async () => {
    const u = await register(t.http);
    const other = await t.http.post('/api/auth/login').send({ login: u.request.username, password: u.password }).expect(200);
    await t.http.post('/api/auth/sessions/revoke-others').set(...bearer(u.token)).expect(204);
    await t.http.get('/api/users/me').set(...bearer((other.body as AuthView).accessToken)).expect(401);
    await t.http.get('/api/users/me').set(...bearer(u.token)).expect(200);
  });
});
