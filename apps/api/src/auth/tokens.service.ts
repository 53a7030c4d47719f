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

/** The one signing algorithm; verification accepts nothing else (no `none`, no RS/HS confusion). */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';

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

/** Issues short-lived HS256 access tokens naming the user and the session; `JwtStrategy` verifies them. */
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
}
