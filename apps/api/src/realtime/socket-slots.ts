import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { REDIS } from '../common/redis/redis.module.js';

/** How long a slot outlives its instance's last heartbeat (a killed instance frees its users' slots). */
const SLOT_TTL_MS = 60_000;
const HEARTBEAT_MS = 20_000;
/** A slot check that Redis does not answer in time falls back to this instance's own count. */
const REDIS_TIMEOUT_MS = 1_500;

/**
 * Check and take in one step: drop slots whose instance stopped refreshing them, count what is left,
 * and add this socket only when under the cap. KEYS[1] = the user's slot set (socket id → expiry).
 */
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

type SlotsRedis = Redis & {
  acquireSocketSlot(key: string, now: number, until: number, max: number, member: string, ttl: number): Promise<number>;
};

const keyOf = (userId: string): string => `sockets:${userId}`;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms);
  });
  // Once the time is up, the call may still fail later (e.g. "Connection is closed"): that answer is no one's.
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The sockets each user holds, capped at SOCKETS_PER_USER. Taking a slot is one atomic step (a
 * synchronous map update here, one Lua script over Redis across instances), done after the
 * handshake's last asynchronous check, so concurrent handshakes cannot all pass a stale count.
 * Releasing is idempotent: every path that ends a socket may call it.
 */
@Injectable()
export class SocketSlots implements OnModuleDestroy {
  private readonly logger = new Logger(SocketSlots.name);
  /** This instance's slots: user → socket ids. */
  private readonly local = new Map<string, Set<string>>();
  private readonly heartbeat: NodeJS.Timeout | null = null;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    if (!redis) return;
    redis.defineCommand('acquireSocketSlot', { numberOfKeys: 1, lua: ACQUIRE });
    this.heartbeat = setInterval(() => void this.refresh(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Takes a slot for this socket; false when the user already holds the most allowed. */
  async acquire(userId: string, socketId: string): Promise<boolean> {
    const max = this.config.realtime.socketsPerUser;
    const mine = this.local.get(userId) ?? new Set<string>();
    if (mine.size >= max) return false;
    if (this.redis) {
      // Reserve locally first (synchronously), so this instance never oversubscribes while Redis answers.
      this.hold(userId, socketId);
      const now = Date.now();
      try {
        const ok = await withTimeout((this.redis as SlotsRedis).acquireSocketSlot(keyOf(userId), now, now + SLOT_TTL_MS, max, socketId, SLOT_TTL_MS), REDIS_TIMEOUT_MS);
        if (ok === 1) return true;
        this.drop(userId, socketId);
        return false;
      } catch (e) {
        // Fail open to this instance's own cap: a Redis outage must not lock every user out.
        this.logger.warn(`socket slot check without Redis: ${e instanceof Error ? e.message : String(e)}`);
        return true;
      }
    }
    this.hold(userId, socketId);
    return true;
  }

  release(userId: string, socketId: string): void {
    if (!this.drop(userId, socketId) || !this.redis) return;
    withTimeout(this.redis.zrem(keyOf(userId), socketId), REDIS_TIMEOUT_MS).catch(() => undefined);
  }

  onModuleDestroy(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  private hold(userId: string, socketId: string): void {
    const mine = this.local.get(userId) ?? new Set<string>();
    mine.add(socketId);
    this.local.set(userId, mine);
  }

  private drop(userId: string, socketId: string): boolean {
    const mine = this.local.get(userId);
    if (!mine?.delete(socketId)) return false;
    if (mine.size === 0) this.local.delete(userId);
    return true;
  }

  /** Pushes the expiry of every slot this instance holds forward (re-adding any Redis lost). */
  private async refresh(): Promise<void> {
    if (!this.redis || this.local.size === 0) return;
    const until = Date.now() + SLOT_TTL_MS;
    const batch = this.redis.pipeline();
    for (const [userId, sockets] of this.local) {
      for (const socketId of sockets) batch.zadd(keyOf(userId), until, socketId);
      batch.pexpire(keyOf(userId), SLOT_TTL_MS);
    }
    await withTimeout(batch.exec(), REDIS_TIMEOUT_MS).catch((e: unknown) => this.logger.warn(`socket slot refresh failed: ${e instanceof Error ? e.message : String(e)}`));
  }
}
