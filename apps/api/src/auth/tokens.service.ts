import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { HandshakeErrorCode } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

export interface AccessClaims {
  userId: string;
  sessionId: string;
  /** Unix milliseconds. */
  expiresAt: number;
}

interface JwtPayload {
  sub: string;
  sid: string;
  exp: number;
}

export class TokenError extends Error {
  constructor(readonly code: Extract<HandshakeErrorCode, 'TOKEN_INVALID' | 'TOKEN_EXPIRED'>) {
    super(code);
  }
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Short-lived HS256 access tokens naming the user and the session. */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issueAccess(userId: string, sessionId: string): Promise<{ token: string; expiresAt: Date }> {
    const ttl = this.config.jwt.accessTtlSeconds;
    const token = await this.jwt.signAsync({ sub: userId, sid: sessionId }, { expiresIn: ttl });
    const { exp } = this.jwt.decode<JwtPayload>(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    try {
      const payload = await this.jwt.verifyAsync<JwtPayload>(token, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') throw new TokenError('TOKEN_INVALID');
      return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
    } catch (e) {
      if (e instanceof TokenError) throw e;
      const name = e instanceof Error ? e.name : '';
      throw new TokenError(name === 'TokenExpiredError' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID');
    }
  }
}
