import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { IS_PUBLIC } from '../common/auth/public.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { tokenErrorOf } from './jwt.strategy.js';
import { TokenError, type AccessClaims } from './tokens.service.js';

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer ([\w.-]+)$/.exec(header);
  return match ? match[1] : null;
}

/** Every HTTP route needs a live access token (passport-jwt's `JwtStrategy`) unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(ctx: ExecutionContext): Promise<boolean> | boolean {
    if (ctx.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]);
    if (isPublic) return true;
    return super.canActivate(ctx) as Promise<boolean>;
  }

  override handleRequest<T = AccessClaims>(err: unknown, user: T | false, info: unknown): T {
    if (err instanceof TokenError) throw unauthenticated(err);
    if (err) throw err;
    if (!user) {
      if (info instanceof Error && info.message === 'No auth token') throw new DomainError('UNAUTHENTICATED', 'Authentication required');
      throw unauthenticated(tokenErrorOf(info));
    }
    return user;
  }
}

function unauthenticated(e: TokenError): DomainError {
  return new DomainError('UNAUTHENTICATED', e.code === 'TOKEN_EXPIRED' ? 'Access token expired' : 'Invalid access token');
}
