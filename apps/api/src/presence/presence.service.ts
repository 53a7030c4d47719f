import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Redis } from 'ioredis';
import { REDIS } from '../common/redis/redis.module.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { UsersService } from '../users/users.service.js';
import { PRESENCE_EVENTS, type PresenceChangedEvent } from './presence.events.js';
import { PresenceStore } from './presence.store.js';

/**
 * Who is online. Each instance counts its own sockets per user; with Redis, every instance claims
 * its users there and beats a heartbeat (see PresenceStore), so a user is online while a live
 * instance holds a socket of theirs.
 *
 * Faults: while Redis is unreachable, reads fall back to this instance's own sockets and changes
 * are kept locally; when Redis is back (or this instance was taken for dead), the instance
 * re-announces the users it holds at once. An instance whose heartbeat expires is taken over by a
 * survivor, which marks its users offline with their last-seen = its last heartbeat and announces
 * it to their audience. A graceful stop releases the instance's users after its sockets moved.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PresenceService.name);
  private readonly local = new Map<string, number>();
  private readonly store: PresenceStore | null;
  private readonly timer: NodeJS.Timeout | null = null;
  /** Since when the link to Redis has been up without a break (0: down). */
  private readySince = 0;
  /** A Redis write failed: rewrite this instance's claims at the next chance. */
  private dirty = false;
  private draining = false;
  private heldAtDrain: string[] = [];
  /** Each user's connect and disconnect work, in arrival order (see `inTurn`). */
  private readonly turns = new Map<string, Promise<void>>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis | null,
    private readonly users: UsersService,
    private readonly events: EventEmitter2,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.store = redis ? new PresenceStore(redis, randomUUID(), config.instance.ttlMs) : null;
    if (!redis) return;
    redis.on('ready', () => {
      this.readySince = Date.now();
      void this.reannounce();
    });
    redis.on('close', () => {
      this.readySince = 0;
    });
    this.timer = setInterval(() => void this.tick(), config.instance.heartbeatMs);
    this.timer.unref();
  }

  async onModuleInit(): Promise<void> {
    if (this.redis?.status === 'ready') {
      this.readySince ||= Date.now();
      await this.reannounce();
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  connected(userId: string): Promise<void> {
    return this.inTurn(userId, () => this.opened(userId));
  }

  disconnected(userId: string): Promise<void> {
    return this.inTurn(userId, () => this.closed(userId));
  }

  /**
   * Runs a user's socket open or close after the ones before it have finished: a close that
   * arrives while its open is still talking to Redis would otherwise unclaim first and let the
   * open's claim land after it, leaving the user online with no socket.
   */
  private inTurn(userId: string, work: () => Promise<void>): Promise<void> {
    const run = (this.turns.get(userId) ?? Promise.resolve()).then(work);
    const settled = run.catch(() => undefined);
    this.turns.set(userId, settled);
    void settled.then(() => {
      if (this.turns.get(userId) === settled) this.turns.delete(userId);
    });
    return run;
  }

  private async opened(userId: string): Promise<void> {
    const count = (this.local.get(userId) ?? 0) + 1;
    this.local.set(userId, count);
    if (count > 1) return;
    let wasOnline = false;
    if (this.store) {
      try {
        wasOnline = (await this.store.online([userId])).has(userId);
        await this.store.claim(userId);
      } catch {
        this.dirty = true;
      }
    }
    if (!wasOnline) this.emit({ userId, online: true, lastSeenAt: null });
  }

  private async closed(userId: string): Promise<void> {
    const count = (this.local.get(userId) ?? 1) - 1;
    if (count > 0) {
      this.local.set(userId, count);
      return;
    }
    this.local.delete(userId);
    if (this.draining) return;
    if (this.store) {
      try {
        await this.store.unclaim(userId);
        if ((await this.store.online([userId])).has(userId)) return;
      } catch {
        this.dirty = true;
      }
    }
    await this.markOffline([userId], new Date());
  }

  /** The subset of `userIds` online on any instance (only this instance's while Redis is unreachable). */
  async onlineSet(userIds: string[]): Promise<Set<string>> {
    const here = (): Set<string> => new Set(userIds.filter((id) => this.local.has(id)));
    if (!this.store || userIds.length === 0) return here();
    try {
      return await this.store.online(userIds);
    } catch {
      return here();
    }
  }

  /** A graceful stop begins: socket closes no longer count as going offline (see `release`). */
  startDrain(): void {
    this.draining = true;
    this.heldAtDrain = [...this.local.keys()];
    if (this.timer) clearInterval(this.timer);
  }

  /** A graceful stop ends: the users held here and not online elsewhere by now go offline. */
  async release(): Promise<void> {
    let users = this.heldAtDrain;
    let elsewhere = new Set<string>();
    if (this.store) {
      try {
        users = await this.store.release();
        elsewhere = await this.store.online(users);
      } catch (e) {
        this.logger.warn({ err: e }, 'presence release failed; the instance will be taken for dead');
      }
    }
    await this.markOffline(users.filter((id) => !elsewhere.has(id)), new Date(), true);
  }

  private async tick(): Promise<void> {
    if (!this.store || this.draining) return;
    try {
      const unregistered = await this.store.beat();
      if (unregistered || this.dirty) await this.reannounce();
      // Right after Redis returns every instance needs a moment to beat again: not dead yet.
      if (this.readySince > 0 && Date.now() - this.readySince >= this.config.instance.ttlMs) await this.takeOverDead();
    } catch {
      // Redis is unreachable: RedisWatch has said so; the next beat after it returns catches up.
    }
  }

  /** Claims every user held here again and announces those who read offline meanwhile. */
  private async reannounce(): Promise<void> {
    if (!this.store || this.draining) return;
    const users = [...this.local.keys()];
    try {
      const before = await this.store.online(users);
      await this.store.announce(users);
      await this.store.beat();
      this.dirty = false;
      for (const userId of users) if (!before.has(userId)) this.emit({ userId, online: true, lastSeenAt: null });
    } catch {
      this.dirty = true;
    }
  }

  private async takeOverDead(): Promise<void> {
    if (!this.store) return;
    for (const dead of await this.store.deadInstances()) {
      const users = await this.store.takeOver(dead.id);
      if (!users || users.length === 0) continue;
      const still = await this.store.online(users);
      await this.markOffline(users.filter((id) => !still.has(id) && !this.local.has(id)), new Date(dead.lastBeatMs));
    }
  }

  private async markOffline(userIds: string[], at: Date, wait = false): Promise<void> {
    for (const row of await this.users.markSeen(userIds, at)) {
      const event: PresenceChangedEvent = { userId: row.id, online: false, lastSeenAt: row.lastSeenAt.toISOString() };
      if (wait) await this.events.emitAsync(PRESENCE_EVENTS.changed, event);
      else this.emit(event);
    }
  }

  private emit(event: PresenceChangedEvent): void {
    this.events.emit(PRESENCE_EVENTS.changed, event);
  }
}
