import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createTestApp, eventually, type TestApp, type TestEnv } from './support/app.js';
import { register, type Registered } from './support/factories.js';
import { PrivateRedis } from './support/processes.js';
import { RedisWatch } from '../src/common/redis/redis-watch.js';
import { closeAllSockets, connected, sleep } from './support/sockets.js';
import { befriend, profileAs } from './support/social.js';

/**
 * Two API instances over a private Redis that the tests stop, restart (losing every key, as a
 * restart without persistence does) and freeze. Requests must answer quickly from their
 * fallbacks, the outage must be logged once per transition, and presence must be right again
 * within seconds of Redis returning.
 */
describe('Redis down, frozen or restarted', () => {
  let redis: PrivateRedis;
  let a: TestApp;
  let b: TestApp;
  const env = (): TestEnv => ({
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: `outage-${randomBytes(4).toString('hex')}`,
    INSTANCE_HEARTBEAT_SECONDS: '1',
    INSTANCE_TTL_SECONDS: '3',
  });

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    const shared = env();
    a = await createTestApp(shared);
    b = await createTestApp(shared);
    await Promise.all([a.listen(), b.listen()]);
  });
  afterEach(async () => {
    closeAllSockets();
    redis.resume();
    if (!redis.running) await redis.start();
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = Date.now();
    const value = await work();
    return [value, Date.now() - started];
  };

  const signIn = (t: TestApp, login: string, password: string): Promise<number> =>
    t.http.post('/api/auth/login').send({ login, password }).then((r) => r.status);

  it('signs in quickly while Redis is stopped', async () => {
    const u = await register(a.http);
    // The fastest of three, before and during the outage: password hashing on a busy machine varies.
    const fastest = async (): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const [status, ms] = await timed(() => signIn(a, u.request.username, u.password));
        expect(status).toBe(200);
        times.push(ms);
      }
      return Math.min(...times);
    };
    const baseline = await fastest();
    await redis.stop();
    await sleep(300);
    const during = await fastest();
    process.stdout.write(`stopped Redis: sign-in ${during} ms (${baseline} ms with Redis up)\n`);
    expect(during).toBeLessThan(baseline + 800);
  });

  it('keeps rate limits per instance while Redis is stopped (fail-open to in-memory limits)', async () => {
    const limited = { ...env(), RATE_LOGIN_PER_MINUTE: '3' };
    const x = await createTestApp(limited);
    const y = await createTestApp(limited);
    try {
      await redis.stop();
      const wrong = `nobody_${randomBytes(3).toString('hex')}`;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push(await signIn(x, wrong, 'not the password'));
      // RATE_LOGIN_PER_MINUTE=3, counted on this instance alone while Redis is away: never unlimited.
      expect(statuses).toEqual([401, 401, 401, 429]);
      // The other instance counts on its own meanwhile: nobody is refused because of the outage.
      expect(await signIn(y, wrong, 'not the password')).toBe(401);
    } finally {
      await Promise.all([x.close(), y.close()]);
    }
  });

  it('answers sign-in and profile reads within seconds while Redis is frozen (reachable, silent)', async () => {
    const [u, friend] = await Promise.all([register(a.http), register(a.http)]);
    await befriend(a.http, u, friend);
    redis.pause();
    const [status, signInMs] = await timed(() => signIn(a, u.request.username, u.password));
    const [view, readMs] = await timed(() => profileAs(b.http, friend, u));
    redis.resume();
    expect(status).toBe(200);
    expect(view.presence).toEqual({ online: false, lastSeenAt: null });
    // REDIS_COMMAND_TIMEOUT_MS (500 ms here) per Redis call, a few calls per request at most.
    process.stdout.write(`frozen Redis: sign-in ${signInMs} ms, profile read ${readMs} ms\n`);
    expect(signInMs).toBeLessThan(5000);
    expect(readMs).toBeLessThan(5000);
  });

  it('never prints "Unhandled error event" and logs the outage once when it starts and once when it ends', async () => {
    // An outage left by the test before (Redis frozen, then resumed) must have ended first, or its
    // recovery line would be counted here without its start.
    await eventually(async () => (a.app.get(RedisWatch).healthy && b.app.get(RedisWatch).healthy ? true : undefined), 15_000);
    const errors = jest.spyOn(console, 'error');
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const log = jest.spyOn(Logger.prototype, 'log');
    const fromRedis = (spy: typeof warn | typeof log): string[] =>
      spy.mock.calls.filter((_, i) => (spy.mock.contexts[i] as { context?: string }).context === 'Redis').map((c) => String(c[0]));
    try {
      await redis.stop();
      await sleep(3000); // a dozen reconnect attempts, each failing
      await redis.start();
      await eventually(async () => (fromRedis(log).length >= 2 ? true : undefined), 10_000);
      const printed = errors.mock.calls.map((c) => c.map(String).join(' '));
      expect(printed.filter((line) => line.includes('Unhandled error event'))).toEqual([]);
      // Two instances: one warning and one recovery line each, whatever the number of failed reconnects.
      expect(fromRedis(warn)).toHaveLength(2);
      expect(fromRedis(warn)[0]).toMatch(/^Redis unreachable/);
      expect(fromRedis(log)).toHaveLength(2);
      expect(fromRedis(log)[0]).toMatch(/^Redis reachable again after [\d.]+ s \(\d+ connection errors while down\)$/);
    } finally {
      errors.mockRestore();
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('shows users held by either instance online again within seconds of Redis restarting empty', async () => {
    const [x, y, viewer]: Registered[] = await Promise.all([register(a.http), register(a.http), register(a.http)]);
    await Promise.all([befriend(a.http, x, viewer), befriend(a.http, y, viewer)]);
    await connected(a.url, x.token);
    await connected(b.url, y.token);
    const online = { online: true, lastSeenAt: null };
    await eventually(async () => ((await profileAs(b.http, viewer, x)).presence?.online ? true : undefined));
    await redis.stop();
    await redis.start();
    // Each instance re-announces its sockets' users as soon as its link is ready again.
    await eventually(async () => {
      const [seenX, seenY] = await Promise.all([profileAs(b.http, viewer, x), profileAs(a.http, viewer, y)]);
      return seenX.presence?.online && seenY.presence?.online ? true : undefined;
    }, 5000);
    expect((await profileAs(a.http, viewer, x)).presence).toEqual(online);
    expect((await profileAs(b.http, viewer, y)).presence).toEqual(online);
  });

  it('forgets a user who left while Redis was frozen once it answers again', async () => {
    const [x, viewer] = await Promise.all([register(a.http), register(a.http)]);
    await befriend(a.http, x, viewer);
    const socket = await connected(a.url, x.token);
    await eventually(async () => ((await profileAs(b.http, viewer, x)).presence?.online ? true : undefined));
    redis.pause();
    socket.disconnect();
    await sleep(1500); // the instance's Redis write times out meanwhile
    redis.resume();
    const seen = await eventually(async () => {
      const view = await profileAs(b.http, viewer, x);
      return view.presence?.online === false ? view : undefined;
    }, 5000);
    expect(Date.parse(seen.presence?.lastSeenAt ?? '')).not.toBeNaN();
  });
});
