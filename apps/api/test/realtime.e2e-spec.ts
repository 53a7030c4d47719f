import type { MeView } from '@app/contracts';
import { createTestApp, type TestApp } from './support/app.js';
import { bearer, register } from './support/factories.js';
import { closeAllSockets, connect, connectError, connected, emitAck, waitForEvent } from './support/sockets.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: 'http://site.test' });
  await t.listen();
});
afterEach(() => closeAllSockets());
afterAll(() => t.close());

describe('handshake', () => {
  it('refuses a missing token', async () => {
    const err = await connectError(connect(t.url, undefined));
    expect(err).toEqual({ message: 'UNAUTHENTICATED', data: { code: 'TOKEN_MISSING' } });
  });

  it('refuses a forged token', async () => {
    const err = await connectError(connect(t.url, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad'));
    expect(err.data?.code).toBe('TOKEN_INVALID');
  });

  it('ignores a token in the query string', async () => {
    const u = await register(t.http);
    const { io } = await import('socket.io-client');
    const socket = io(t.url, { transports: ['websocket'], query: { token: u.token }, reconnection: false, forceNew: true });
    try {
      const err = await connectError(socket);
      expect(err.data?.code).toBe('TOKEN_MISSING');
    } finally {
      socket.disconnect();
    }
  });

  it('refuses a foreign origin', async () => {
    const u = await register(t.http);
    const err = await connectError(connect(t.url, u.token, { origin: 'http://evil.test' }));
    expect(err.data?.code).toBe('ORIGIN_NOT_ALLOWED');
    const ok = connect(t.url, u.token, { origin: 'http://site.test' });
    await new Promise<void>((resolve) => ok.once('connect', () => resolve()));
  });

  it('refuses the token of a session that was signed out', async () => {
    const u = await register(t.http);
    await t.http.post('/api/auth/logout').set(...bearer(u.token)).expect(204);
    const err = await connectError(connect(t.url, u.token));
    expect(err.data?.code).toBe('TOKEN_INVALID');
  });
});

describe('acks', () => {
  it('answers every client event with exactly one ack', async () => {
    const u = await register(t.http);
    const socket = await connected(t.url, u.token);
    const ack = await emitAck<'ping', { now: string }>(socket, 'ping', {});
    expect(ack.ok).toBe(true);
  });
});

describe('server-ended sessions', () => {
  it.each([
    ['signing out', 'LOGGED_OUT'],
    ['being signed out from another device', 'SESSION_REVOKED'],
    ['a password change elsewhere', 'PASSWORD_CHANGED'],
  ])('closes the sockets of a session on %s', async (_how, reason) => {
    const u = await register(t.http);
    const other = await t.http.post('/api/auth/login').send({ login: u.request.username, password: u.password }).expect(200);
    const otherToken = (other.body as { accessToken: string }).accessToken;
    const doomed = await connected(t.url, otherToken);
    const survivor = await connected(t.url, u.token);
    const closed = waitForEvent(doomed, 'session:closed');
    const dropped = new Promise<string>((resolve) => doomed.once('disconnect', (r) => resolve(r)));
    if (reason === 'LOGGED_OUT') await t.http.post('/api/auth/logout').set(...bearer(otherToken)).expect(204);
    if (reason === 'SESSION_REVOKED') await t.http.post('/api/auth/sessions/revoke-others').set(...bearer(u.token)).expect(204);
    if (reason === 'PASSWORD_CHANGED') {
      await t.http.post('/api/auth/password').set(...bearer(u.token)).send({ currentPassword: u.password, newPassword: 'a different password 9' }).expect(204);
    }
    expect(await closed).toEqual({ reason });
    expect(await dropped).toBe('io server disconnect');
    expect(survivor.connected).toBe(true);
  });

  it('closes a socket when its access token expires', async () => {
    const short = await createTestApp({ ACCESS_TOKEN_TTL_SECONDS: '2' });
    try {
      const url = await short.listen();
      const u = await register(short.http);
      const socket = await connected(url, u.token);
      expect(await waitForEvent(socket, 'session:closed', undefined, 5000)).toEqual({ reason: 'TOKEN_EXPIRED' });
    } finally {
      closeAllSockets();
      await short.close();
    }
  });
});

describe('personal events', () => {
  it('tells every socket of the user when the profile changes', async () => {
    const u = await register(t.http);
    const tab1 = await connected(t.url, u.token);
    const tab2 = await connected(t.url, u.token);
    const seen = Promise.all([
      waitForEvent(tab1, 'me:updated', (m: MeView) => m.displayName === 'Renamed'),
      waitForEvent(tab2, 'me:updated', (m: MeView) => m.displayName === 'Renamed'),
    ]);
    await t.http.patch('/api/users/me').set(...bearer(u.token)).send({ displayName: 'Renamed' }).expect(200);
    const [a, b] = await seen;
    expect(a.id).toBe(u.auth.user.id);
    expect(b.id).toBe(u.auth.user.id);
  });
});
