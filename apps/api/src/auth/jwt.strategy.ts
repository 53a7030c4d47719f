import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DomainError } from '../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SessionsService } from './sessions.service.js';
import { ACCESS_TOKEN_ALGORITHM, TokenError, type AccessClaims } from './tokens.service.js';

/** What passport-jwt hands to `fail()`: a jsonwebtoken error, or "No auth token". */
interface FailInfo {
  name?: string;
  message?: string;
}

/** The one reading of a failed verification: expired, or anything else that makes the token useless. */
export function tokenErrorOf(info: unknown): TokenError {
  if (info instanceof TokenError) return info;
  const name = (info as FailInfo | undefined)?.name;
  return new TokenError(name === 'TokenExpiredError' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID');
}

function isClaims(payload: unknown): payload is { sub: string; sid: string; exp: number } {
  const p = payload as Record<string, unknown> | null;
  return (
    typeof p === 'object' && p !== null &&
    typeof p.sub === 'string' && typeof p.sid === 'string' &&
    typeof p.exp === 'number' && Number.isFinite(p.exp)
  );
}

/** Strategies registered in this process, newest first (tests run several apps side by side). */
const registered: JwtStrategy[] = [];

/**
 * Access tokens: HS256 only, `exp` required and honoured, and the session named by the token must
 * still be alive (a sign-out, a revoked session or a password change ends it at once).
 * HTTP requests reach it through `JwtAuthGuard`; the Socket.IO handshake and media reads through
 * `verifyToken`, which runs the same passport-jwt verification and the same `validate()`.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwt.secret,
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      ignoreExpiration: false,
    });
    registered.unshift(this);
  }

  async validate(payload: unknown): Promise<AccessClaims> {
    if (!isClaims(payload)) throw new TokenError('TOKEN_INVALID');
    if (!(await this.sessions.isActive(payload.sid, payload.sub))) throw new DomainError('UNAUTHENTICATED', 'Session ended');
    return { userId: payload.sub, sessionId: payload.sid, expiresAt: payload.exp * 1000 };
  }

  /** passport-jwt's own `authenticate` on a request that carries only this token. */
  verifyToken(token: string): Promise<AccessClaims> {
    return new Promise<AccessClaims>((resolve, reject) => {
      const run = Object.create(this) as this & {
        success(user: AccessClaims): void;
        fail(info: unknown): void;
        error(err: unknown): void;
      };
      run.success = (user) => resolve(user);
      run.fail = (info) => reject(tokenErrorOf(info));
      run.error = (err) => reject(err);
      run.authenticate({ headers: { authorization: `Bearer ${token}` } } as never, {});
    });
  }

  /** When this app closes, the strategy registered before it (if any) answers again. */
  onModuleDestroy(): void {
    const at = registered.indexOf(this);
    if (at >= 0) registered.splice(at, 1);
    if (at === 0 && registered[0]) passport.use('jwt', registered[0]);
  }
}
