import { randomBytes } from 'node:crypto';
import { createTestApp, eventually, type TestApp, type TestEnv } from './support/app.js';
import { register } from './support/factories.js';
import { ChildApi, PrivateRedis } from './support/processes.js';
import { closeAllSockets, connected, sleep, waitForEvent } from './support/sockets.js';
import { befriend, idOf, profileAs } from './support/social.js';

/**
 * An API instance killed hard (SIGKILL: no cleanup at all) while it holds a user's socket. A
 * surviving instance must notice its heartbeat expire, mark the user offline with the moment the
 * dead instance was last heard of, and push that to the user's friends.
 */
describe('an API instance that dies', () => {
  let redis: PrivateRedis;
  let survivor: TestApp;
  let doomed: ChildApi | undefined;
  let env: TestEnv;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `death-${randomBytes(4).toString('hex')}`, INSTANCE_HEARTBEAT_SECONDS: '1', INSTANCE_TTL_SECONDS: '3' };
    survivor = await createTestApp(env);
    await survivor.listen();
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    await doomed?.stop('SIGKILL');
    await survivor?.close();
    await redis?.stop();
  }, 60_000);

  it("pushes its users offline to their friends with a truthful last-seen, and REST agrees", async () => {
    doomed = await ChildApi.start(env);
    const [user, friend] = await Promise.all([register(survivor.http), register(survivor.http)]);
    await befriend(survivor.http, user, friend);
    const friendSocket = await connected(survivor.url, friend.token);

    // An earlier session, ended cleanly: its end is the last-seen value a dead instance must not leave behind.
    const earlier = await connected(survivor.url, user.token);
    const ended = waitForEvent(friendSocket, 'presence:changed', (p) => p.userId === idOf(user) && p.presence?.online === false);
    earlier.disconnect();
    const earlierEnd = Date.parse((await ended).presence?.lastSeenAt ?? '');

    const online = waitForEvent(friendSocket, 'presence:changed', (p) => p.userId === idOf(user) && p.presence?.online === true);
    await connected(doomed.url, user.token);
    await online;
    await sleep(2500); // the doomed instance beats (every second) while it holds the socket
    const offline = waitForEvent(friendSocket, 'presence:changed', (p) => p.userId === idOf(user) && p.presence?.online === false, 20_000);
    const killedAt = Date.now();
    expect(await doomed.stop('SIGKILL')).toBe('SIGKILL');

    const pushed = await offline;
    const lastSeen = Date.parse(pushed.presence?.lastSeenAt ?? '');
    // Its last heartbeat: after the earlier session's end, at most a beat before the kill, never after it.
    expect(lastSeen).toBeGreaterThan(earlierEnd);
    expect(lastSeen).toBeGreaterThan(killedAt - 2000);
    expect(lastSeen).toBeLessThanOrEqual(killedAt);
    const seen = await eventually(async () => {
      const view = await profileAs(survivor.http, friend, user);
      return view.presence?.online === false ? view : undefined;
    });
    expect(seen.presence).toEqual({ online: false, lastSeenAt: pushed.presence?.lastSeenAt });
  }, 90_000);
});
