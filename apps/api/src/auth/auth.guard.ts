import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IS_PUBLIC } from '../common/auth/public.decorator.js';
import type { AuthedRequest } from '../common/auth/current-user.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { AuthService } from './auth.service.js';
import { TokenError } from './tokens.service.js';

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer ([\w.-]+)$/.exec(header);
  return match ? match[1] : null;
}

/** Every HTTP route needs a live access token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]);
    if (isPublic) return true;
    const req = ctx.switchToHttp().getRequest<Request & AuthedRequest>();
    const token = bearerToken(req);
    if (!token) throw new DomainError('UNAUTHENTICATED', 'Authentication required');
    try {
      const claims = await this.auth.authenticate(token);
      req.auth = { userId: claims.userId, sessionId: claims.sessionId };
      return true;
    } catch (e) {
      if (e instanceof TokenError) {
        throw new DomainError('UNAUTHENTICATED', e.code === 'TOKEN_EXPIRED' ? 'Access token expired' : 'Invalid access token');
      }
      throw e;
    }
  }
}
