import { once } from 'node:events';
import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { RedisWatch, redisOptions } from './redis-watch.js';

export const REDIS = Symbol('REDIS');

/** How long boot waits for Redis before starting degraded (on the fallbacks) rather than not at all. */
const BOOT_WAIT_MS = 3_000;

/**
 * One shared Redis connection when REDIS_URL is set; null otherwise (single-instance mode). Its
 * commands fail fast while Redis is down or frozen (see `redisOptions`); callers keep a fallback.
 */
@Global()
@Module({
  providers: [
    RedisWatch,
    {
      provide: REDIS,
      inject: [APP_CONFIG, RedisWatch],
      useFactory: (config: AppConfig, watch: RedisWatch): Redis | null =>
        config.redis.url ? watch.watch(new Redis(config.redis.url, redisOptions(config, { prefix: true })), 'commands') : null,
    },
  ],
  exports: [REDIS, RedisWatch],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly watch: RedisWatch,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.redis || this.redis.status === 'ready') return;
    await Promise.race([once(this.redis, 'ready').catch(() => undefined), new Promise((r) => setTimeout(r, BOOT_WAIT_MS).unref())]);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await this.watch.close(this.redis);
  }
}
