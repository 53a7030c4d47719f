import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import type { SessionClosedReason, SessionView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { modifyReturning } from '../database/sql.js';
import { DomainError } from '../common/errors/domain-error.js';
import { SessionEntity } from './entities/session.entity.js';
import { RefreshTokenEntity } from './entities/refresh-token.entity.js';
import { AUTH_EVENTS, type SessionsClosedEvent } from './auth.events.js';
import { describeDevice } from './device.js';
import { randomToken, sha256 } from './tokens.service.js';

export interface ClientInfo {
  userAgent?: string;
  ip?: string | null;
}

export interface IssuedRefresh {
  sessionId: string;
  userId: string;
  refreshToken: string;
  expiresAt: Date;
}

const unauthenticated = (): DomainError => new DomainError('UNAUTHENTICATED', 'Session expired, sign in again');

/** Sessions (one per signed-in device) and their rotating refresh tokens. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventEmitter2,
  ) {}

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.jwt.refreshTtlDays * 86_400_000);
  }

  private async newToken(m: EntityManager, sessionId: string, expiresAt: Date): Promise<string> {
    const token = randomToken();
    await m.insert(RefreshTokenEntity, { sessionId, tokenHash: sha256(token), expiresAt });
    return token;
  }

  async create(userId: string, client: ClientInfo): Promise<IssuedRefresh> {
    return this.db.transaction(async (m) => {
      const expiresAt = this.refreshExpiry();
      const now = new Date();
      const session = await m.save(
        m.create(SessionEntity, {
          userId,
          device: describeDevice(client.userAgent),
          userAgent: (client.userAgent ?? '').slice(0, 512),
          ip: client.ip ?? null,
          lastActiveAt: now,
          expiresAt,
        }),
      );
      const refreshToken = await this.newToken(m, session.id, expiresAt);
      return { sessionId: session.id, userId, refreshToken, expiresAt };
    });
  }

  /**
   * Exchanges a refresh token for a new one. A token already rotated is accepted again only
   * within the grace window (two tabs refreshing at once); later, it is reuse: the session ends.
   */
  async rotate(presented: string, client: ClientInfo): Promise<IssuedRefresh> {
    type Outcome = { kind: 'issued'; issued: IssuedRefresh } | { kind: 'reused'; session: SessionEntity } | null;
    const outcome = await this.db.transaction(async (m): Promise<Outcome> => {
      const token = await m
        .createQueryBuilder(RefreshTokenEntity, 't')
        .setLock('pessimistic_write')
        .where('t.token_hash = :hash', { hash: sha256(presented) })
        .getOne();
      if (!token) return null;
      const session = await m.findOne(SessionEntity, { where: { id: token.sessionId }, lock: { mode: 'pessimistic_write' } });
      const now = new Date();
      if (!session || session.revokedAt || session.expiresAt < now || token.expiresAt < now) return null;
      if (token.replacedAt) {
        const graceMs = this.config.jwt.refreshReuseGraceSeconds * 1000;
        if (now.getTime() - token.replacedAt.getTime() > graceMs) {
          await m.update(SessionEntity, { id: session.id }, { revokedAt: now, revokedReason: 'TOKEN_REUSED' });
          return { kind: 'reused', session };
        }
      } else {
        await m.update(RefreshTokenEntity, { id: token.id }, { replacedAt: now });
      }
      const expiresAt = this.refreshExpiry();
      await m.update(SessionEntity, { id: session.id }, {
        lastActiveAt: now,
        expiresAt,
        ip: client.ip ?? session.ip,
        ...(client.userAgent ? { userAgent: client.userAgent.slice(0, 512), device: describeDevice(client.userAgent) } : {}),
      });
      const refreshToken = await this.newToken(m, session.id, expiresAt);
      return { kind: 'issued', issued: { sessionId: session.id, userId: session.userId, refreshToken, expiresAt } };
    });
    if (!outcome) throw unauthenticated();
    if (outcome.kind === 'reused') {
      this.emitClosed(outcome.session.userId, [outcome.session.id], 'SESSION_REVOKED');
      throw unauthenticated();
    }
    return outcome.issued;
  }

  /** The live session a refresh token belongs to, without rotating it. */
  async ownerOf(presented: string): Promise<{ userId: string; sessionId: string } | null> {
    const rows: { user_id: string; id: string }[] = await this.db.query(
      `SELECT s.id, s.user_id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
       WHERE t.token_hash = $1 AND s.revoked_at IS NULL`,
      [sha256(presented)],
    );
    return rows[0] ? { userId: rows[0].user_id, sessionId: rows[0].id } : null;
  }

  /** Whether an access token's session is still valid; bumps last activity at most once a minute. */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    const rows = await modifyReturning<{ id: string }>(
      this.db.manager,
      `UPDATE sessions SET last_active_at = CASE WHEN last_active_at < now() - interval '1 minute' THEN now() ELSE last_active_at END
       WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  async list(userId: string, currentSessionId: string): Promise<SessionView[]> {
    const sessions = await this.db.getRepository(SessionEntity).find({
      where: { userId, revokedAt: IsNull() },
      order: { lastActiveAt: 'DESC', id: 'DESC' },
      take: 200,
    });
    return sessions
      .filter((s) => s.expiresAt > new Date())
      .map((s) => ({
        id: s.id,
        device: s.device,
        ip: s.ip,
        createdAt: s.createdAt.toISOString(),
        lastActiveAt: s.lastActiveAt.toISOString(),
        current: s.id === currentSessionId,
      }));
  }

  /** Ends one of the user's sessions; another user's session answers like a missing one. */
  async revoke(userId: string, sessionId: string, reason: SessionClosedReason): Promise<void> {
    const ended = await this.revokeWhere(userId, reason, { only: sessionId });
    if (ended.length === 0) throw DomainError.notFound();
  }

  /** Ends every session of the user except `keep` (null ends all). */
  async revokeAll(userId: string, keep: string | null, reason: SessionClosedReason, m?: EntityManager): Promise<string[]> {
    return this.revokeWhere(userId, reason, { except: keep }, m);
  }

  private async revokeWhere(
    userId: string,
    reason: SessionClosedReason,
    which: { only?: string; except?: string | null },
    m: EntityManager = this.db.manager,
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
    const ids = rows.map((r) => r.id);
    if (ids.length > 0 && m === this.db.manager) this.emitClosed(userId, ids, reason);
    return ids;
  }

  emitClosed(userId: string, sessionIds: string[], reason: SessionClosedReason): void {
    const event: SessionsClosedEvent = { userId, sessionIds, reason };
    this.events.emit(AUTH_EVENTS.sessionsClosed, event);
  }
}
