import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { DomainError } from '../errors/domain-error.js';
import { REDIS } from '../redis/redis.module.js';

export interface RateRule {
  /** A stable name: the limiter's key prefix. */
  name: string;
  points: number;
  durationSeconds: number;
}

/**
 * Fixed-window limits shared across instances through Redis when it is configured. While Redis is
 * down or does not answer within REDIS_COMMAND_TIMEOUT_MS, each instance counts on its own in
 * memory with the same limits (fail-open to per-instance limits: nobody is refused for the outage,
 * and nobody gets more than the limit times the number of instances).
 */
@Injectable()
export class RateLimitService {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  private limiter(rule: RateRule): RateLimiterAbstract {
    const id = `${rule.name}:${rule.points}:${rule.durationSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const opts = { keyPrefix: `rl:${rule.name}`, points: rule.points, duration: rule.durationSeconds };
      limiter = this.redis
        ? new RateLimiterRedis({ ...opts, storeClient: this.redis, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(opts) })
        : new RateLimiterMemory(opts);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** Takes one point for `key`; throws RATE_LIMITED with the wait when none are left. */
  async consume(rule: RateRule, key: string): Promise<void> {
    try {
      await this.limiter(rule).consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        throw new DomainError('RATE_LIMITED', 'Too many attempts, try again later', undefined, Math.max(1000, e.msBeforeNext));
      }
      throw e;
    }
  }

  /** Gives back one point taken for an attempt that turned out not to count (e.g. a retried send). */
  async refund(rule: RateRule, key: string): Promise<void> {
    await this.limiter(rule).reward(key, 1);
  }

  /** Forgets a key (e.g. failed sign-ins after a successful one). */
  async reset(rule: RateRule, key: string): Promise<void> {
    await this.limiter(rule).delete(key);
  }
}
