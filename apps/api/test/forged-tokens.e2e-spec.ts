import { createHmac } from 'node:crypto';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register, type Registered } from './support/factories.js';
import { closeAllSockets, connect, connectError, connected } from './support/sockets.js';

const SECRET = 'test-secret-that-is-long-enough-0123456789abcdef';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed with HS256 (or left unsigned for `alg: none`) from parts the test chooses. */
function jwt(header: Record<string, unknown>, payload: Record<string, unknown>, key: string | null = SECRET): string {
  const head = `${b64(header)}.${b64(payload)}`;
  const signature = key === null ? '' : createHmac('sha256', key).update(head).digest('base64url');
  return `${head}.${signature}`;
}

let t: TestApp;
let u: Registered;
let claims: { sub: string; sid: string; iat: number; exp: number };

beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: 'http://site.test' });
  await t.listen();
  u = await register(t.http);
  claims = JSON.parse(Buffer.from(u.token.split('.')[1], 'base64url').toString()) as typeof claims;
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

const now = (): number => Math.floor(Date.now() / 1000);

/** Each forgery, built from the real token of a live session so only the forged part is wrong. */
const forgeries: [string, () => string, 'TOKEN_INVALID' | 'TOKEN_EXPIRED'][] = [
  ['alg none, unsigned', () => jwt({ alg: 'none', typ: 'JWT' }, claims, null), 'TOKEN_INVALID'],
  ['alg none with the real signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${u.token.split('.')[1]}.${u.token.split('.')[2]}`, 'TOKEN_INVALID'],
  ['signed with another key', () => jwt({ alg: 'HS256', typ: 'JWT' }, claims, 'another-key-that-is-long-enough-0123456789'), 'TOKEN_INVALID'],
  ['HS512 with the right key', () => {
    const head = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(claims)}`;
    return `${head}.${createHmac('sha512', SECRET).update(head).digest('base64url')}`;
  }, 'TOKEN_INVALID'],
  ['a flipped payload byte', () => {
    const [h, p, s] = u.token.split('.');
    const bytes = Buffer.from(p, 'base64url');
    bytes[bytes.length - 3] ^= 0x01;
    return `${h}.${bytes.toString('base64url')}.${s}`;
  }, 'TOKEN_INVALID'],
  ['expired', () => jwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now() - 3600, exp: now() - 60 }), 'TOKEN_EXPIRED'],
  ['without exp', () => jwt({ alg: 'HS256', typ: 'JWT' }, { sub: claims.sub, sid: claims.sid, iat: now() }), 'TOKEN_INVALID'],
  ['naming another session of the user', () => jwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, sid: '00000000-0000-4000-8000-000000000000' }), 'TOKEN_INVALID'],
  ['the refresh token', () => decodeURIComponent(u.cookie.split('=').slice(1).join('=')), 'TOKEN_INVALID'],
];

describe('forged access tokens', () => {
  it('the genuine token works over REST and the socket (the forgeries below differ from it only where forged)', async () => {
    await t.http.get('/api/users/me').set(...bearer(u.token)).expect(200);
    const socket = await connected(t.url, u.token);
    expect(socket.connected).toBe(true);
  });

  it.each(forgeries)('REST refuses %s with 401 UNAUTHENTICATED', async (name, forge, code) => {
    const res = await t.http.get('/api/users/me').set(...bearer(forge())).expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    const message = code === 'TOKEN_EXPIRED' ? 'Access token expired' : name.startsWith('naming') ? 'Session ended' : 'Invalid access token';
    expect(res.body.error.message).toBe(message);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it.each(forgeries)('the socket handshake refuses %s', async (_name, forge, code) => {
    const err = await connectError(connect(t.url, forge()));
    expect(err).toEqual({ message: 'UNAUTHENTICATED', data: { code } });
  });
});
