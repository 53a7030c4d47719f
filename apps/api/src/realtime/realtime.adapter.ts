import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { ServerOptions } from 'socket.io';
import { SOCKET_FRAME_MAX_BYTES, type AppConfig } from '../config/app-config.js';
import { RedisWatch, redisOptions } from '../common/redis/redis-watch.js';
import { PendingSessions, type EngineConnection } from './pending-sessions.js';
import type { RealtimeServerType } from './realtime.types.js';

/**
 * The adapter publishes without awaiting. A packet published while the connection is closing at
 * shutdown is rejected ("Connection is closed"): it is dropped like any packet of a stopping
 * instance, not left as an unhandled rejection (which takes a Node process down).
 */
function quietPublishes(pub: Redis): Redis {
  const publish = pub.publish.bind(pub) as (channel: string | Buffer, message: string | Buffer) => Promise<number>;
  const quiet = (channel: string | Buffer, message: string | Buffer): Promise<number> => {
    const sent = publish(channel, message);
    sent.catch(() => undefined);
    return sent;
  };
  pub.publish = quiet as Redis['publish'];
  return pub;
}

/**
 * Creates the one Socket.IO server: websocket first, no per-message compression, CORS limited
 * to the site's origins, a cap on not yet authenticated sessions per address, and the Redis
 * adapter when REDIS_URL is set (N instances).
 */
export class RealtimeIoAdapter extends IoAdapter {
  private clients: Redis[] = [];
  private readonly watch: RedisWatch;
  readonly pending: PendingSessions;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
    this.watch = app.get(RedisWatch);
    this.pending = new PendingSessions(config.realtime.pendingPerAddress, config.trustProxy);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): RealtimeServerType {
    const server = super.createIOServer(port, {
      ...(options as ServerOptions),
      path: '/socket.io',
      serveClient: false,
      transports: ['websocket', 'polling'],
      perMessageDeflate: false,
      pingInterval: 25_000,
      pingTimeout: 20_000,
      maxHttpBufferSize: SOCKET_FRAME_MAX_BYTES,
      cors: { origin: this.config.corsOrigins, credentials: true },
      // A session that never sends its CONNECT (with the token) is closed after this long.
      connectTimeout: 20_000,
      allowRequest: this.pending.allowRequest,
    }) as RealtimeServerType;
    server.engine.on('connection', (conn: EngineConnection) => this.pending.opened(conn));
    server.on('connection', (socket) => this.pending.settled(socket.conn));
    if (this.config.redis.url) {
      const pub = quietPublishes(this.watch.watch(new Redis(this.config.redis.url, redisOptions(this.config, { queue: true })), 'adapter publisher'));
      const sub = this.watch.watch(new Redis(this.config.redis.url, redisOptions(this.config, { queue: true })), 'adapter subscriber');
      this.clients = [pub, sub];
      let lost = false;
      sub.on('close', () => {
        lost = true;
      });
      sub.on('ready', () => {
        // Packets published while the link was down are gone: tell local clients to catch up.
        if (lost) server.local.emit('resync');
        lost = false;
      });
      server.adapter(createAdapter(pub, sub, { key: `${this.config.redis.prefix}:io` }));
    }
    return server;
  }

  override async close(server: RealtimeServerType): Promise<void> {
    await super.close(server);
    await Promise.all(this.clients.map((c) => this.watch.close(c)));
  }
}
