import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../common/redis/redis.module.js';
import { modifyReturning } from '../database/sql.js';
import { PRESENCE_EVENTS, type PresenceChangedEvent } from './presence.events.js';

const CLAIM_TTL_MS = 90_000;
const HEARTBEAT_MS = 30_000;
const key = (userId: string): string => `presence:u:${userId}`;

/**
 * Who is online. Each instance counts its own sockets per user; with Redis, every instance
 * claims its users in a hash per user (instance → expiry) renewed by a heartbeat, so a user is
 * online while any live instance holds a socket of theirs, and a crashed instance's claims lapse.
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private readonly instanceId = randomUUID();
  private readonly local = new Map<string, number>();
  private readonly heartbeat: NodeJS.Timeout | null;

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventEmitter2,
  ) {
    this.heartbeat = redis ? setInterval(() => void this.renew(), HEARTBEAT_MS) : null;
    this.heartbeat?.unref();
  }

  onModuleDestroy(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  async connected(userId: string): Promise<void> {
    const count = (this.local.get(userId) ?? 0) + 1;
    this.local.set(userId, count);
    if (count > 1) return;
    const wasOnline = this.redis ? (await this.onlineSet([userId])).has(userId) : false;
    if (this.redis) await this.redis.hset(key(userId), this.instanceId, String(Date.now() + CLAIM_TTL_MS));
    if (!wasOnline) this.emit({ userId, online: true, lastSeenAt: null });
  }

  async disconnected(userId: string): Promise<void> {
    const count = (this.local.get(userId) ?? 1) - 1;
    if (count > 0) {
      this.local.set(userId, count);
      return;
    }
    this.local.delete(userId);
    if (this.redis) {
      await this.redis.hdel(key(userId), this.instanceId);
      if ((await this.onlineSet([userId])).has(userId)) return;
    }
    const rows = await modifyReturning<{ last_seen_at: Date }>(
      this.db.manager,
      'UPDATE users SET last_seen_at = now() WHERE id = $1 RETURNING last_seen_at',
      [userId],
    );
    this.emit({ userId, online: false, lastSeenAt: rows[0]?.last_seen_at.toISOString() ?? new Date().toISOString() });
  }

  /** The subset of `userIds` online on any instance. */
  async onlineSet(userIds: string[]): Promise<Set<string>> {
    if (!this.redis) return new Set(userIds.filter((id) => this.local.has(id)));
    if (userIds.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of userIds) pipeline.hvals(key(id));
    const results = (await pipeline.exec()) ?? [];
    const now = Date.now();
    const online = new Set<string>();
    results.forEach(([, values], i) => {
      if (Array.isArray(values) && values.some((v) => Number(v) > now)) online.add(userIds[i]);
    });
    return online;
  }

  private async renew(): Promise<void> {
    if (!this.redis || this.local.size === 0) return;
    const pipeline = this.redis.pipeline();
    const expiry = String(Date.now() + CLAIM_TTL_MS);
    for (const userId of this.local.keys()) pipeline.hset(key(userId), this.instanceId, expiry);
    await pipeline.exec().catch(() => undefined);
  }

  private emit(event: PresenceChangedEvent): void {
    this.events.emit(PRESENCE_EVENTS.changed, event);
  }
}
