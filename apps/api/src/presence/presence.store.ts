import type { Redis } from 'ioredis';

const INSTANCES = 'presence:instances';
const userKey = (userId: string): string => `presence:u:${userId}`;
const heldKey = (instanceId: string): string => `presence:i:${instanceId}`;
const beatKey = (instanceId: string): string => `presence:hb:${instanceId}`;

export interface DeadInstance {
  id: string;
  /** When it last said it was alive (its own clock, ms). */
  lastBeatMs: number;
}

const values = <T>(results: [Error | null, unknown][] | null): T[] =>
  (results ?? []).map(([err, value]) => {
    if (err) throw err;
    return value as T;
  });

/**
 * Presence in Redis. Each user has a hash of the instances holding a socket of theirs; each
 * instance keeps the set of users it holds and a heartbeat key that expires `ttlMs` after its last
 * beat, and is listed in a registry with the time of that beat. A user is online while any
 * instance with a live heartbeat holds them, so a dead instance's users read offline within
 * `ttlMs`; a surviving instance then takes the dead one's users over to announce them offline.
 */
export class PresenceStore {
  constructor(
    private readonly redis: Redis,
    readonly instanceId: string,
    private readonly ttlMs: number,
  ) {}

  async claim(userId: string): Promise<void> {
    values(await this.redis.multi().hset(userKey(userId), this.instanceId, '1').sadd(heldKey(this.instanceId), userId).exec());
  }

  async unclaim(userId: string): Promise<void> {
    values(await this.redis.multi().hdel(userKey(userId), this.instanceId).srem(heldKey(this.instanceId), userId).exec());
  }

  /** The subset of `userIds` held by at least one live instance. */
  async online(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const holders = values<string[]>(await userIds.reduce((p, id) => p.hkeys(userKey(id)), this.redis.pipeline()).exec());
    const instances = [...new Set(holders.flat())];
    const alive = new Set<string>();
    if (instances.length > 0) {
      const beats = values<number>(await instances.reduce((p, id) => p.exists(beatKey(id)), this.redis.pipeline()).exec());
      instances.forEach((id, i) => beats[i] && alive.add(id));
    }
    return new Set(userIds.filter((_, i) => holders[i].some((id) => alive.has(id))));
  }

  /** Says this instance is alive; true when it was not registered (its first beat, or taken over as dead). */
  async beat(): Promise<boolean> {
    const [, added] = values<number>(
      await this.redis.multi()
        .set(beatKey(this.instanceId), String(Date.now()), 'PX', this.ttlMs)
        .zadd(INSTANCES, Date.now(), this.instanceId)
        .exec(),
    );
    return added === 1;
  }

  /** Rewrites this instance's claims to exactly `userIds` (after Redis lost them or missed changes). */
  async announce(userIds: string[]): Promise<void> {
    const held = new Set(await this.redis.smembers(heldKey(this.instanceId)));
    const keep = new Set(userIds);
    const tx = this.redis.multi().del(heldKey(this.instanceId));
    if (userIds.length > 0) tx.sadd(heldKey(this.instanceId), ...userIds);
    for (const id of userIds) tx.hset(userKey(id), this.instanceId, '1');
    for (const id of held) if (!keep.has(id)) tx.hdel(userKey(id), this.instanceId);
    values(await tx.exec());
  }

  /** Registered instances (other than this one) whose heartbeat has expired. */
  async deadInstances(): Promise<DeadInstance[]> {
    const flat = await this.redis.zrange(INSTANCES, 0, -1, 'WITHSCORES');
    const listed: DeadInstance[] = [];
    for (let i = 0; i < flat.length; i += 2) if (flat[i] !== this.instanceId) listed.push({ id: flat[i], lastBeatMs: Number(flat[i + 1]) });
    if (listed.length === 0) return [];
    const beats = values<number>(await listed.reduce((p, d) => p.exists(beatKey(d.id)), this.redis.pipeline()).exec());
    return listed.filter((_, i) => !beats[i]);
  }

  /**
   * Removes a dead instance and its claims and returns the users it held; null when another
   * instance took it over first (the registry removal decides who does).
   */
  async takeOver(deadId: string): Promise<string[] | null> {
    if ((await this.redis.zrem(INSTANCES, deadId)) !== 1) return null;
    return this.drop(deadId);
  }

  /** Removes this instance from Redis (a graceful stop) and returns the users it held. */
  async release(): Promise<string[]> {
    await this.redis.multi().zrem(INSTANCES, this.instanceId).del(beatKey(this.instanceId)).exec();
    return this.drop(this.instanceId);
  }

  private async drop(instanceId: string): Promise<string[]> {
    const users = await this.redis.smembers(heldKey(instanceId));
    const tx = this.redis.multi().del(heldKey(instanceId));
    for (const id of users) tx.hdel(userKey(id), instanceId);
    values(await tx.exec());
    return users;
  }
}
