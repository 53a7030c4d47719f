import { randomBytes } from 'node:crypto';
import { createTestApp, eventually, type TestApp } from './support/app.js';
import { register } from './support/factories.js';
import { slowLink } from './support/ports.js';
import { PrivateRedis } from './support/processes.js';
import { closeAllSockets, connected, waitForEvent } from './support/sockets.js';
import { befriend, idOf, profileAs } from './support/social.js';

/**
 * A socket that closes while the server is still registering it (its Redis round trips in flight):
 * the close must not be overtaken by the open, or the user stays claimed online with no socket
 * left, and their next real connection is never announced. The API reaches Redis over a slow
 * link (20 ms each way), so the close always arrives while the open is still talking to Redis.
 */
describe('presence when sockets open and close at once', () => {
  let redis: PrivateRedis;
  let link: Awaited<ReturnType<typeof slowLink>>;
  let app: TestApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    link = await slowLink(redis.port, 20);
    app = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${link.port}`, REDIS_KEY_PREFIX: `races-${randomBytes(4).toString('hex')}` });
    await app.listen();
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await app?.close();
    await link?.close();
    await redis?.stop();
  }, 60_000);

  it('reads offline after sockets closed as soon as they opened, and announces the next connection', async () => {
    const [user, friend] = await Promise.all([register(app.http), register(app.http)]);
    await befriend(app.http, user, friend);
    const friendSocket = await connected(app.url, friend.token);

    for (let i = 0; i < 5; i++) (await connected(app.url, user.token)).disconnect();

    const view = await eventually(async () => {
      const seen = await profileAs(app.http, friend, user);
      return seen.presence?.online === false ? seen : undefined;
    });
    expect(view.presence?.lastSeenAt).toEqual(expect.any(String));
    // Nothing still holds the user online: a quiet moment later they still read offline.
    await new Promise((r) => setTimeout(r, 300));
    expect((await profileAs(app.http, friend, user)).presence?.online).toBe(false);

    const online = waitForEvent(friendSocket, 'presence:changed', (p) => p.userId === idOf(user) && p.presence?.online === true);
    await connected(app.url, user.token);
    expect((await online).presence).toEqual({ online: true, lastSeenAt: null });
  }, 30_000);
});
