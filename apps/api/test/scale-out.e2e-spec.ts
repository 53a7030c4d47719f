import { randomBytes } from 'node:crypto';
import type { MeView } from '@app/contracts';
import { twoInstances, type TestApp } from './support/app.js';
import { bearer, register } from './support/factories.js';
import { closeAllSockets, connected, record, sleep, waitForEvent } from './support/sockets.js';
import { openChat, sendMessage } from './support/chats.js';

/**
 * Two API instances sharing one PostgreSQL and one Redis: what happens on one reaches sockets
 * held by the other, over the Redis the global setup provides (TEST_REDIS_URL).
 */
describe('two API instances over Redis', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    [a, b] = await twoInstances();
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('delivers an event raised on one instance to a socket on the other', async () => {
    const u = await register(a.http);
    const onB = await connected(b.url, u.token);
    const seen = waitForEvent(onB, 'me:updated', (m: MeView) => m.bio === 'from instance A');
    await a.http.patch('/api/users/me').set(...bearer(u.token)).send({ bio: 'from instance A' }).expect(200);
    expect((await seen).id).toBe(u.auth.user.id);
  });

  it('closes a session signed out on one instance on the other', async () => {
    const u = await register(a.http);
    const onB = await connected(b.url, u.token);
    const closed = waitForEvent(onB, 'session:closed');
    await a.http.post('/api/auth/logout').set(...bearer(u.token)).expect(204);
    expect(await closed).toEqual({ reason: 'LOGGED_OUT' });
  });

  it('delivers chat messages across instances and stops at once for a member removed on the other', async () => {
    const [owner, kept, gone] = await Promise.all([register(a.http), register(a.http), register(a.http)]);
    const group = await openChat(a.http, owner.token, [kept.auth.user.id, gone.auth.user.id], 'Across');
    const keptOnB = await connected(b.url, kept.token);
    const goneOnB = await connected(b.url, gone.token);
    const first = [keptOnB, goneOnB].map((s) => waitForEvent(s, 'message:created', (e) => e.data.text === 'hello from A'));
    await sendMessage(a.http, owner.token, group.id, 'hello from A');
    expect((await Promise.all(first)).map((e) => e.chatId)).toEqual([group.id, group.id]);
    const removed = waitForEvent(goneOnB, 'chat:removed');
    const leaked = record(goneOnB, 'message:created');
    await a.http.delete(`/api/chats/${group.id}/members/${gone.auth.user.id}`).set(...bearer(owner.token)).expect(204);
    await removed;
    const later = waitForEvent(keptOnB, 'message:created', (e) => e.data.text === 'after removal');
    await sendMessage(a.http, owner.token, group.id, 'after removal');
    await later;
    await sleep(200);
    expect(leaked).toHaveLength(0);
    await b.http.get(`/api/chats/${group.id}/messages`).set(...bearer(gone.token)).expect(404);
  });

  it('shares rate limits between instances', async () => {
    const [x, y] = await twoInstances({ RATE_LOGIN_PER_MINUTE: '2' });
    try {
      const login = `nobody_${randomBytes(3).toString('hex')}`;
      await x.http.post('/api/auth/login').send({ login, password: 'wrong password' }).expect(401);
      await y.http.post('/api/auth/login').send({ login, password: 'wrong password' }).expect(401);
      await x.http.post('/api/auth/login').send({ login, password: 'wrong password' }).expect(429);
    } finally {
      await Promise.all([x.close(), y.close()]);
    }
  });
});
