import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import type { SessionClosedReason } from '@app/contracts';
import { modifyReturning } from '../database/sql.js';
import { RefreshTokenEntity } from './entities/refresh-token.entity.js';
import { SessionEntity } from './entities/session.entity.js';

export type NewSession = Pick<SessionEntity, 'userId' | 'device' | 'userAgent' | 'ip' | 'lastActiveAt' | 'expiresAt'>;
export type SessionChange = Partial<Pick<SessionEntity, 'lastActiveAt' | 'expiresAt' | 'ip' | 'userAgent' | 'device'>>;

/** Sessions and their refresh tokens (stored as SHA-256 hashes). */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  insertSession(m: EntityManager, session: NewSession): Promise<SessionEntity> {
    return m.save(m.create(SessionEntity, session));
  }

  async insertToken(m: EntityManager, sessionId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await m.insert(RefreshTokenEntity, { sessionId, tokenHash, expiresAt });
  }

  /** The refresh token with this hash and its session, both locked for the rest of the transaction. */
  async lockToken(m: EntityManager, tokenHash: string): Promise<{ token: RefreshTokenEntity; session: SessionEntity | null } | null> {
    const token = await m
      .createQueryBuilder(RefreshTokenEntity, 't')
      .setLock('pessimistic_write')
      .where('t.token_hash = :hash', { hash: tokenHash })
      .getOne();
    if (!token) return null;
    const session = await m.findOne(SessionEntity, { where: { id: token.sessionId }, lock: { mode: 'pessimistic_write' } });
    return { token, session };
  }

  tokenByHash(m: EntityManager, tokenHash: string): Promise<RefreshTokenEntity | null> {
    return m.findOne(RefreshTokenEntity, { where: { tokenHash } });
  }

  async markReplaced(m: EntityManager, tokenId: string, at: Date): Promise<void> {
    await m.update(RefreshTokenEntity, { id: tokenId }, { replacedAt: at });
  }

  async revokeForReuse(m: EntityManager, sessionId: string, at: Date): Promise<void> {
    await m.update(SessionEntity, { id: sessionId }, { revokedAt: at, revokedReason: 'TOKEN_REUSED' });
  }

  async update(m: EntityManager, sessionId: string, change: SessionChange): Promise<void> {
    await m.update(SessionEntity, { id: sessionId }, change);
  }

  /** The live session a refresh token belongs to. */
  async ownerOf(tokenHash: string): Promise<{ userId: string; sessionId: string } | null> {
    const rows: { user_id: string; id: string }[] = await this.db.query(
      `SELECT s.id, s.user_id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
       WHERE t.token_hash = $1 AND s.revoked_at IS NULL`,
      [tokenHash],
    );
    return rows[0] ? { userId: rows[0].user_id, sessionId: rows[0].id } : null;
  }

  /** Whether the session is live; bumps its last activity at most once a minute. */
  async touchIfActive(sessionId: string, userId: string): Promise<boolean> {
    const rows = await modifyReturning<{ id: string }>(
      this.db.manager,
      `UPDATE sessions SET last_active_at = CASE WHEN last_active_at < now() - interval '1 minute' THEN now() ELSE last_active_at END
       WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  /** The user's sessions not revoked (expired ones included), most recently active first. */
  notRevoked(userId: string, limit: number): Promise<SessionEntity[]> {
    return this.db.getRepository(SessionEntity).find({
      where: { userId, revokedAt: IsNull() },
      order: { lastActiveAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  /** Revokes the user's live sessions (only one, or all but one, or all); returns the ids revoked. */
  async revoke(
    m: EntityManager,
    userId: string,
    reason: SessionClosedReason,
    which: { only?: string; except?: string | null },
  ): Promise<string[]> {
    const params: unknown[] = [userId, reason];
    let filter = '';
    if (which.only) {
      params.push(which.only);
      filter = 'AND id = $3';
    } else if (which.except) {
      params.push(which.except);
      filter = 'AND id <> $3';
    }
    const rows = await modifyReturning<{ id: string }>(
      m,
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
       WHERE user_id = $1 AND revoked_at IS NULL ${filter} RETURNING id`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /** Which of these sessions have a push subscription (the device gets notifications). */
  async withPush(sessionIds: string[]): Promise<Set<string>> {
    if (sessionIds.length === 0) return new Set();
    const rows = (await this.db.query('SELECT DISTINCT session_id FROM push_subscriptions WHERE session_id = ANY($1::uuid[])', [sessionIds])) as { session_id: string }[];
    return new Set(rows.map((r) => r.session_id));
  }
}
