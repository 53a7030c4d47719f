import type { HandshakeErrorCode } from '@app/contracts';
import type { AuthService } from '../auth/auth.service.js';
import { TokenError } from '../auth/tokens.service.js';
import type { RealtimeSocket } from './realtime.types.js';

export class HandshakeError extends Error {
  readonly data: { code: HandshakeErrorCode };

  constructor(code: HandshakeErrorCode) {
    super('UNAUTHENTICATED');
    this.data = { code };
  }
}

const MAX_SOCKETS_PER_USER = 32;

/**
 * Handshake middleware: the access token comes in `auth.token` (never the query string),
 * the Origin must be one of the site's, and one user may hold a bounded number of sockets.
 */
export function realtimeAuth(auth: AuthService, origins: string[], socketsOf: (userId: string) => number) {
  return async (socket: RealtimeSocket, next: (err?: Error) => void): Promise<void> => {
    const origin = socket.handshake.headers.origin;
    if (origin && !origins.includes(origin)) return next(new HandshakeError('ORIGIN_NOT_ALLOWED'));
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) return next(new HandshakeError('TOKEN_MISSING'));
    try {
      const claims = await auth.authenticate(token);
      if (socketsOf(claims.userId) >= MAX_SOCKETS_PER_USER) return next(new HandshakeError('TOO_MANY_CONNECTIONS'));
      socket.data = { userId: claims.userId, sessionId: claims.sessionId, tokenExpiresAt: claims.expiresAt };
      return next();
    } catch (e) {
      return next(new HandshakeError(e instanceof TokenError && e.code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID'));
    }
  };
}
