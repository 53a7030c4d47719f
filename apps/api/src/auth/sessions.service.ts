import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, type EntityManager } from 'typeorm';
import type { SessionClosedReason, SessionView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { SessionEntity } from './entities/session.entity.js';
import { AUTH_EVENTS, type SessionsClosedEvent } from './auth.events.js';
import { describeDevice } from './device.js';
import { SessionsRepository } from './sessions.repository.js';
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
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventEmitter2,
  ) {}

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.config.jwt.refreshTtlDays * 86_400_000);
  }

  /**
   * The token that replaces `presented`: derived from it with the server secret, so a retry of
   * the same rotation (parallel requests, a response lost on the way) gets the same pair back.
   */
  private successorOf(presented: string): string {
    return createHmac('sha256', this.config.jwt.secret).update(`refresh-successor:${presented}`).digest('base64url');
  }

  private async newToken(m: EntityManager, sessionId: string, expiresAt: Date, token = randomToken()): Promise<string> {
    await this.sessions.insertToken(m, sessionId, sha256(token), expiresAt);
    return token;
  }

  async create(userId: string, client: ClientInfo): Promise<IssuedRefresh> {
    return this.db.transaction(async (m) => {
      const expiresAt = this.refreshExpiry();
      const now = new Date();
      const session = await this.sessions.insertSession(m, {
        userId,
        device: describeDevice(client.userAgent),
        userAgent: (client.userAgent ?? '').slice(0, 512),
        ip: client.ip ?? null,
        lastActiveAt: now,
        expiresAt,
      });
      const refreshToken = await this.newToken(m, session.id, expiresAt);
      return { sessionId: session.id, userId, refreshToken, expiresAt };
    });
  }

  /**
   * Exchanges a refresh token for its successor. A token already rotated is answered again with
   * the same successor within the grace window (two tabs or requests at once, a lost response);
   * later, it is reuse: the session ends.
   */
  async rotate(presented: string, client: ClientInfo): Promise<IssuedRefresh> {
    type Outcome = { kind: 'issued'; issued: IssuedRefresh } | { kind: 'reused'; session: SessionEntity } | null;
    const outcome = await this.db.transaction(async (m): Promise<Outcome> => {
      const locked = await this.sessions.lockToken(m, sha256(presented));
      if (!locked) return null;
      const { token, session } = locked;
      const now = new Date();
      if (!session || session.revokedAt || session.expiresAt < now || token.expiresAt < now) return null;
      const successor = this.successorOf(presented);
      let expiresAt: Date;
      if (token.replacedAt) {
        const graceMs = this.config.jwt.refreshReuseGraceSeconds * 1000;
        if (now.getTime() - token.replacedAt.getTime() > graceMs) {
          await this.sessions.revokeForReuse(m, session.id, now);
          return { kind: 'reused', session };
        }
        const issued = await this.sessions.tokenByHash(m, sha256(successor));
        if (!issued) return null;
        expiresAt = issued.expiresAt;
      } else {
        await this.sessions.markReplaced(m, token.id, now);
        expiresAt = this.refreshExpiry();
        await this.newToken(m, session.id, expiresAt, successor);
      }
      await this.sessions.update(m, session.id, {
        lastActiveAt: now,
        expiresAt,
        ip: client.ip ?? session.ip,
        ...(client.userAgent ? { userAgent: client.userAgent.slice(0, 512), device: describeDevice(client.userAgent) } : {}),
      });
      return { kind: 'issued', issued: { sessionId: session.id, userId: session.userId, refreshToken: successor, expiresAt } };
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
    return this.sessions.ownerOf(sha256(presented));
  }

  /** Whether an access token's session is still valid; bumps last activity at most once a minute. */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    return this.sessions.touchIfActive(sessionId, userId);
  }

  async list(userId: string, currentSessionId: string): Promise<SessionView[]> {
    const sessions = (await this.sessions.notRevoked(userId, 200)).filter((s) => s.expiresAt > new Date());
    const pushed = await this.sessions.withPush(sessions.map((s) => s.id));
    return sessions
      .map((s) => ({
        id: s.id,
        device: s.device,
        ip: s.ip,
        createdAt: s.createdAt.toISOString(),
        lastActiveAt: s.lastActiveAt.toISOString(),
        current: s.id === currentSessionId,
        notifications: pushed.has(s.id),
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
    const ids = await this.sessions.revoke(m, userId, reason, which);
    if (ids.length > 0 && m === this.db.manager) this.emitClosed(userId, ids, reason);
    return ids;
  }

  emitClosed(userId: string, sessionIds: string[], reason: SessionClosedReason): void {
    const event: SessionsClosedEvent = { userId, sessionIds, reason };
    this.events.emit(AUTH_EVENTS.sessionsClosed, event);
  }
}
