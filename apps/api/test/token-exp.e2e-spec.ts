import { createHmac } from 'node:crypto';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register } from './support/factories.js';
import { closeAllSockets, connect, connectError } from './support/sockets.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

/** A correctly signed HS256 token with the given claims (the server's own key). */
function sign(claims: Record<string, unknown>): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  const mac = createHmac('sha256', t.config.jwt.secret).update(body).digest('base64url');
  return `${body}.${mac}`;
}

describe('an access token without an expiry', () => {
  it('is refused over REST with 401', async () => {
    const u = await register(t.http);
    const forever = sign({ sub: u.auth.user.id, sid: u.auth.sessionId, iat: Math.floor(Date.now() / 1000) });
    const res = await t.http.get('/api/users/me').set(...bearer(forever));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Invalid access token' } });
  });

  it('is refused at the socket handshake with TOKEN_INVALID', async () => {
    const u = await register(t.http);
    const forever = sign({ sub: u.auth.user.id, sid: u.auth.sessionId, iat: Math.floor(Date.now() / 1000) });
    const err = await connectError(connect(t.url, forever));
    expect(err).toEqual({ message: 'UNAUTHENTICATED', data: { code: 'TOKEN_INVALID' } });
  });

  it('is refused with a non-numeric expiry too, while the same claims with one pass', async () => {
    const u = await register(t.http);
    const claims = { sub: u.auth.user.id, sid: u.auth.sessionId };
    await t.http.get('/api/users/me').set(...bearer(sign({ ...claims, exp: 'never' }))).expect(401);
    await t.http.get('/api/users/me').set(...bearer(sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 }))).expect(200);
  });
});
