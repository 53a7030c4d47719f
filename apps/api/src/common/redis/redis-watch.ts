import { Injectable, Logger } from '@nestjs/common';
import type { Redis, RedisOptions } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';

/**
 * Options for every Redis connection of the API. Commands fail fast instead of queueing while the
 * link is down (`enableOfflineQueue: false`) and time out when Redis is reachable but does not
 * answer (`commandTimeout`), so a request that touches Redis answers from its fallback in well
 * under a second. The adapter's publisher keeps its queue (`queue: true`): a cross-instance packet
 * sent during a blip goes out once Redis is back, and the adapter never awaits it on a request path.
 */
export function redisOptions(config: AppConfig, opts: { prefix?: boolean; queue?: boolean } = {}): RedisOptions {
  return {
    ...(opts.prefix ? { keyPrefix: `${config.redis.prefix}:` } : {}),
    ...(opts.queue
      ? { maxRetriesPerRequest: null }
      : { enableOfflineQueue: false, commandTimeout: config.redis.commandTimeoutMs, maxRetriesPerRequest: 1 }),
    connectTimeout: 5_000,
    retryStrategy: (times: number) => Math.min(times * 100, 2_000),
  };
}

/**
 * Watches the Redis connections of one API instance and logs an outage once per transition: one
 * warning when the first connection is lost, one line when all are back, with how long it lasted
 * and how many connection errors it counted (never a line per error). Every client handed to
 * `watch` gets an `error` listener, so ioredis never prints "Unhandled error event".
 */
@Injectable()
export class RedisWatch {
  private readonly log = new Logger('Redis');
  private readonly down = new Set<string>();

  private readonly closing = new WeakSet<Redis>();
  private since = 0;
  private errors = 0;
  private lastError = '';

  get healthy(): boolean {
    return this.down.size === 0;
  }

  watch(client: Redis, name: string): Redis {
    let wasReady = false;
    client.on('error', (e: Error) => {
      this.errors += 1;
      this.lastError = e.message;
      this.lost(name);
    });
    client.on('close', () => {
      if (wasReady && !this.closing.has(client)) this.lost(name);
    });
    client.on('ready', () => {
      wasReady = true;
      this.back(name);
    });
    return client;
  }

  /** Closes a watched client on purpose (at shutdown): not an outage. */
  async close(client: Redis): Promise<void> {
    this.closing.add(client);
    if (client.status !== 'ready') return client.disconnect();
    const quit = client.quit().then(() => undefined, () => undefined);
    const gaveUp = new Promise<void>((r) => setTimeout(r, 2_000).unref());
    // A frozen Redis never answers QUIT: drop the connection after a moment instead.
    if ((await Promise.race([quit.then(() => 'quit'), gaveUp.then(() => 'gave up')])) === 'gave up') client.disconnect();
  }

  private lost(name: string): void {
    if (this.down.has(name)) return;
    if (this.down.size === 0) {
      this.since = Date.now();
      this.log.warn(`Redis unreachable (${name}): ${this.lastError || 'connection closed'}; falling back until it returns`);
    }
    this.down.add(name);
  }

  private back(name: string): void {
    if (!this.down.delete(name) || this.down.size > 0) return;
    const seconds = ((Date.now() - this.since) / 1000).toFixed(1);
    this.log.log(`Redis reachable again after ${seconds} s (${this.errors} connection errors while down)`);
    this.errors = 0;
    this.lastError = '';
  }
}
