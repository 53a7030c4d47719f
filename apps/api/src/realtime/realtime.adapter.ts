import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/app-config.js';
import type { RealtimeServerType } from './realtime.types.js';

/**
 * Creates the one Socket.IO server: websocket first, no per-message compression, CORS limited
 * to the site's origins, and the Redis adapter when REDIS_URL is set (N instances).
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly log = new Logger('RealtimeIoAdapter');
  private clients: Redis[] = [];


  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
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
      maxHttpBufferSize: 256 * 1024,
      cors: { origin: this.config.corsOrigins, credentials: true },
    }) as RealtimeServerType;
    if (this.config.redis.url) {
      const pub = new Redis(this.config.redis.url, { maxRetriesPerRequest: null });
      const sub = pub.duplicate();
      this.clients = [pub, sub];
      for (const client of this.clients) client.on('error', (e: Error) => this.log.warn(`redis: ${e.message}`));
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
    await Promise.all(this.clients.map((c) => c.quit().catch(() => undefined)));
  }
}
