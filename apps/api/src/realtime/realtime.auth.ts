import type { HandshakeErrorCode } from '@app/contracts';
import type { AuthService } from '../auth/auth.service.js';
import { TokenError } from '../auth/tokens.service.js';
import type { RealtimeSocket } from './realtime.types.js';
import { databaseUnavailableReason } from '../common/errors/dependency-errors.js';
import { databaseOutage } from '../common/errors/outage-log.js';
import type { SocketSlots } from './socket-slots.js';

export class HandshakeError extends Error {
  readonly data: { code: HandshakeErrorCode };

  constructor(code: HandshakeErrorCode) {
    super('UNAUTHENTICATED');
    this.data = { code };
  }
}

type Headers = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();

/**
 * Whether the page that opened the socket belongs to the site: its Origin is one of the
 * configured origins, or it is the very host the request was addressed to (the web server
 * relaying /socket.io names it in X-Forwarded-Host, else it is the Host). A browser cannot set
 * either header for another site's page, so a foreign page is still refused.
 */
export function originAllowed(origin: string | undefined, headers: Headers, origins: string[]): boolean {
  if (!origin || origins.includes(origin)) return true;
  const addressed = first(headers['x-forwarded-host']) ?? first(headers.host);
  try {
    return addressed !== undefined && new URL(origin).host === addressed.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Handshake middleware: the access token comes in `auth.token` (never the query string),
 * the Origin must be the site's (see originAllowed), and one user may hold a bounded number of sockets: the
 * slot is taken in one atomic step after the last asynchronous check, and given back (idempotently)
 * whenever the connection ends, whether or not the handshake completed.
 */
export function realtimeAuth(auth: AuthService, origins: string[], slots: SocketSlots) {
  return async (socket: RealtimeSocket, next: (err?: Error) => void): Promise<void> => {
    if (!originAllowed(socket.handshake.headers.origin, socket.handshake.headers, origins)) {
      return next(new HandshakeError('ORIGIN_NOT_ALLOWED'));
    }
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0) return next(new HandshakeError('TOKEN_MISSING'));
    let claims: Awaited<ReturnType<AuthService['authenticate']>>;
    try {
      claims = await auth.authenticate(token);
    } catch (e) {
      // The session could not be checked: not the token's fault, so the client retries instead of signing in again.
      const outage = databaseUnavailableReason(e);
      if (outage) {
        databaseOutage.failed(outage);
        return next(new HandshakeError('UNAVAILABLE'));
      }
      return next(new HandshakeError(e instanceof TokenError && e.code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID'));
    }
    if (!(await slots.acquire(claims.userId, socket.id))) return next(new HandshakeError('TOO_MANY_CONNECTIONS'));
    socket.conn.once('close', () => slots.release(claims.userId, socket.id));
    if (socket.conn.readyState !== 'open') slots.release(claims.userId, socket.id);
    socket.data = { userId: claims.userId, sessionId: claims.sessionId, tokenExpiresAt: claims.expiresAt };
    return next();
  };
}
