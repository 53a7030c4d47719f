import { randomBytes } from 'node:crypto';
import { RealtimeServer } from '../src/realtime/realtime.server.js';
import { createTestApp } from './support/app.js';
import { PrivateRedis } from './support/processes.js';

/**
 * An instance stopping while it still broadcasts (sockets closing announce presence, late
 * events): the Redis adapter publishes without awaiting, so a packet published after the
 * adapter's connection began to close must be dropped quietly, never surface as an unhandled
 * rejection (which would take a process down under Node's default).
 */
describe('an instance on Redis stopping while it broadcasts', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await PrivateRedis.start();
  });
  afterAll(() => redis?.stop());

  it('drops the packets published during its close without an unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => {
      rejections.push(reason);
    };
    process.on('unhandledRejection', onRejection);
    try {
      for (let round = 0; round < 5; round += 1) {
        const app = await createTestApp({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `shutdown-${randomBytes(4).toString('hex')}` });
        await app.listen();
        const io = app.app.get(RealtimeServer).io;
        let closing = true;
        const emitting = (async () => {
          while (closing) {
            io.to(`room-${round}`).emit('resync');
            await new Promise((r) => setImmediate(r));
          }
        })();
        await app.close();
        closing = false;
        await emitting;
      }
      // Rejections surface on the next turns of the event loop.
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(rejections.map(String)).toEqual([]);
  }, 60_000);
});
