import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { TimeKey } from '../common/pagination/cursor.js';
import { modifyReturning } from '../database/sql.js';
import type { FriendRequestDirection } from '@app/contracts';
import type { FriendshipEntity, FriendshipState } from './entities/friendship.entity.js';
import { orderedPair, type PairLink } from './relationship.js';

interface FriendshipRow {
  id: string;
  user_low: string;
  user_high: string;
  requester_id: string;
  addressee_id: string;
  state: FriendshipState;
  created_at: Date;
  accepted_at: Date | null;
}

interface LinkRow {
  id: string;
  state: FriendshipState | null;
  requester_id: string | null;
  friendship_id: string | null;
  i_blocked: boolean;
  blocked_me: boolean;
}

export interface FriendRow {
  id: string;
  otherId: string;
  acceptedAt: Date;
}

const PAIR_LOCK_CLASS = 7242;

const toEntity = (r: FriendshipRow): FriendshipEntity => ({
  id: r.id,
  userLow: r.user_low,
  userHigh: r.user_high,
  requesterId: r.requester_id,
  addresseeId: r.addressee_id,
  state: r.state,
  createdAt: r.created_at,
  acceptedAt: r.accepted_at,
});

const first = (rows: FriendshipRow[]): FriendshipEntity | null => (rows[0] ? toEntity(rows[0]) : null);

/** Friendships and the per-pair facts (friendship, blocks) every view of another user needs. */
@Injectable()
export class FriendshipsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Serialises every change to one pair (request, accept, block…) until the transaction ends,
   * so checks made inside it (no block, no row yet) still hold when it writes.
   */
  async lockPair(m: EntityManager, a: string, b: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PAIR_LOCK_CLASS, orderedPair(a, b).join(':')]);
  }

  /** Whether `targetId` exists and no block stands between the two users. */
  async reachable(m: EntityManager, viewerId: string, targetId: string): Promise<boolean> {
    const rows: { ok: boolean }[] = await m.query(
      `SELECT EXISTS (SELECT 1 FROM users WHERE id = $2)
          AND NOT EXISTS (SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)) AS ok`,
      [viewerId, targetId],
    );
    return rows[0]?.ok === true;
  }

  async userExists(m: EntityManager, userId: string): Promise<boolean> {
    const rows: unknown[] = await m.query('SELECT 1 FROM users WHERE id = $1', [userId]);
    return rows.length > 0;
  }

  async findPair(m: EntityManager, a: string, b: string): Promise<FriendshipEntity | null> {
    return first(await m.query('SELECT * FROM friendships WHERE user_low = $1 AND user_high = $2', orderedPair(a, b)));
  }

  async insertPending(m: EntityManager, requesterId: string, addresseeId: string): Promise<FriendshipEntity> {
    const [low, high] = orderedPair(requesterId, addresseeId);
    const rows: FriendshipRow[] = await m.query(
      `INSERT INTO friendships (user_low, user_high, requester_id, state) VALUES ($1, $2, $3, 'pending') RETURNING *`,
      [low, high, requesterId],
    );
    return toEntity(rows[0]);
  }

  /** Accepts a pending request addressed to `addresseeId`; null when there is none (any more). */
  async acceptPending(requestId: string, addresseeId: string, m: EntityManager = this.db.manager): Promise<FriendshipEntity | null> {
    return first(await modifyReturning<FriendshipRow>(m,
      `UPDATE friendships SET state = 'accepted', accepted_at = now()
       WHERE id = $1 AND state = 'pending' AND addressee_id = $2 RETURNING *`,
      [requestId, addresseeId],
    ));
  }

  /** Removes a pending request the user is the given party of; null when there is none. */
  async deletePending(requestId: string, party: 'requester' | 'addressee', userId: string): Promise<FriendshipEntity | null> {
    const column = party === 'requester' ? 'requester_id' : 'addressee_id';
    return first(await modifyReturning<FriendshipRow>(this.db.manager,
      `DELETE FROM friendships WHERE id = $1 AND state = 'pending' AND ${column} = $2 RETURNING *`,
      [requestId, userId],
    ));
  }

  async deleteAccepted(a: string, b: string): Promise<FriendshipEntity | null> {
    return first(await modifyReturning<FriendshipRow>(this.db.manager,
      `DELETE FROM friendships WHERE user_low = $1 AND user_high = $2 AND state = 'accepted' RETURNING *`,
      orderedPair(a, b),
    ));
  }

  /** Ends whatever the pair had (friendship or request), for a block. */
  async deletePair(m: EntityManager, a: string, b: string): Promise<FriendshipEntity | null> {
    return first(await modifyReturning<FriendshipRow>(m,
      'DELETE FROM friendships WHERE user_low = $1 AND user_high = $2 RETURNING *',
      orderedPair(a, b),
    ));
  }

  async findById(id: string): Promise<FriendshipEntity | null> {
    return first(await this.db.query('SELECT * FROM friendships WHERE id = $1', [id]));
  }

  /** Friends, newest friendship first; each side of the pair is read through its own index. */
  async friends(userId: string, after: TimeKey, take: number): Promise<FriendRow[]> {
    const branch = (mine: string, other: string): string => `
      (SELECT id, ${other} AS other_id, accepted_at FROM friendships
       WHERE ${mine} = $1 AND state = 'accepted' AND (accepted_at, id) < ($2::timestamptz, $3::uuid)
       ORDER BY accepted_at DESC, id DESC LIMIT $4)`;
    const rows: { id: string; other_id: string; accepted_at: Date }[] = await this.db.query(
      `SELECT * FROM (${branch('user_low', 'user_high')} UNION ALL ${branch('user_high', 'user_low')}) f
       ORDER BY accepted_at DESC, id DESC LIMIT $4`,
      [userId, after.at, after.id, take],
    );
    return rows.map((r) => ({ id: r.id, otherId: r.other_id, acceptedAt: r.accepted_at }));
  }

  /** Pending requests to (incoming) or from (outgoing) the user, newest first. */
  async requests(userId: string, direction: FriendRequestDirection, after: TimeKey, take: number): Promise<FriendshipEntity[]> {
    const column = direction === 'incoming' ? 'addressee_id' : 'requester_id';
    const rows: FriendshipRow[] = await this.db.query(
      `SELECT * FROM friendships WHERE ${column} = $1 AND state = 'pending' AND (created_at, id) < ($2::timestamptz, $3::uuid)
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [userId, after.at, after.id, take],
    );
    return rows.map(toEntity);
  }

  async countIncoming(userId: string): Promise<number> {
    const rows: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM friendships WHERE addressee_id = $1 AND state = 'pending'`,
      [userId],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Who may follow the user's presence: their friends and, when `coMembers`, everyone who shares a
   * chat with them; never anyone on either side of a block.
   */
  async presenceAudience(userId: string, coMembers: boolean): Promise<{ id: string; friend: boolean }[]> {
    const rows: { id: string; friend: boolean }[] = await this.db.query(
      `SELECT a.id, bool_or(a.friend) AS friend FROM (
         SELECT user_high AS id, true AS friend FROM friendships WHERE user_low = $1 AND state = 'accepted'
         UNION ALL
         SELECT user_low, true FROM friendships WHERE user_high = $1 AND state = 'accepted'
         UNION ALL
         SELECT other.user_id, false FROM chat_members mine
           JOIN chat_members other ON other.chat_id = mine.chat_id AND other.user_id <> mine.user_id
          WHERE mine.user_id = $1 AND $2::boolean) a
       WHERE NOT EXISTS (SELECT 1 FROM blocks b
         WHERE (b.blocker_id = $1 AND b.blocked_id = a.id) OR (b.blocker_id = a.id AND b.blocked_id = $1))
       GROUP BY a.id`,
      [userId, coMembers],
    );
    return rows;
  }

  /** The link between the viewer and each existing user of `ids` (unknown ids are left out). */
  async links(viewerId: string, ids: string[]): Promise<Map<string, PairLink>> {
    const rows: LinkRow[] = await this.db.query(
      `SELECT u.id, f.state, f.requester_id, f.id AS friendship_id,
         EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $1 AND b.blocked_id = u.id) AS i_blocked,
         EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = u.id AND b.blocked_id = $1) AS blocked_me
       FROM users u
       LEFT JOIN friendships f ON f.user_low = LEAST($1::uuid, u.id) AND f.user_high = GREATEST($1::uuid, u.id)
       WHERE u.id = ANY($2::uuid[])`,
      [viewerId, ids],
    );
    return new Map(rows.map((r) => [r.id, { state: r.state, requesterId: r.requester_id, friendshipId: r.friendship_id, iBlocked: r.i_blocked, blockedMe: r.blocked_me }]));
  }
}
