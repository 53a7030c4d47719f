import type { H3Event } from 'h3';
// The H3EventContext.resolveAuth declaration, shared with the page renderer.
import type {} from '../../app/types/h3-context';
import { ACCESS_COOKIE, REFRESH_COOKIE, REFRESH_COOKIE_PATH, type AuthView, type MeView } from '@app/contracts';

/**
 * The browser must send the refresh cookie with page requests so the server can render the
 * signed-in page when the access cookie has expired, so the BFF re-scopes it from the API's
 * path to the whole site.
 */
export const COOKIE_PATH_REWRITE: Record<string, string> = { [REFRESH_COOKIE_PATH]: '/' };

/** An access token with less time left than this is renewed rather than handed to the page. */
const ACCESS_MARGIN_MS = 30_000;

/** The X-Forwarded-For chain to send upstream: what came in plus the peer we saw. */
export function forwardedFor(event: H3Event): string {
  const prior = getRequestHeader(event, 'x-forwarded-for');
  const peer = event.node.req.socket.remoteAddress;
  return [prior, peer].filter((v): v is string => Boolean(v)).join(', ');
}

function rewriteCookiePath(cookie: string): string {
  return cookie.replace(/(;\s*path=)([^;]*)/i, (match, prefix: string, value: string) =>
    value === REFRESH_COOKIE_PATH ? `${prefix}/` : match,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isAuthView(value: unknown): value is AuthView {
  return (
    isRecord(value) &&
    typeof value.accessToken === 'string' &&
    typeof value.accessTokenExpiresAt === 'string' &&
    typeof value.sessionId === 'string' &&
    isRecord(value.user)
  );
}

function isMeView(value: unknown): value is MeView {
  return isRecord(value) && typeof value.id === 'string' && typeof value.username === 'string';
}

/** What an access token says about itself (unverified: the API verifies it on every call). */
function peek(token: string): { sessionId: string; expiresAt: number } | null {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    if (!isRecord(payload) || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return null;
    return { sessionId: payload.sid, expiresAt: payload.exp * 1000 };
  } catch {
    return null;
  }
}

function upstreamHeaders(event: H3Event): Record<string, string> {
  const headers: Record<string, string> = { 'x-forwarded-for': forwardedFor(event) };
  const ua = getRequestHeader(event, 'user-agent');
  if (ua) headers['user-agent'] = ua;
  return headers;
}

type Me = { kind: 'ok'; user: MeView } | { kind: 'refused' } | { kind: 'unreachable' };

async function fetchMe(event: H3Event, accessToken: string): Promise<Me> {
  const { apiInternalUrl } = useRuntimeConfig(event);
  try {
    const res = await fetch(`${apiInternalUrl}/api/users/me`, {
      headers: { ...upstreamHeaders(event), authorization: `Bearer ${accessToken}` },
    });
    if (res.status === 401) return { kind: 'refused' };
    const body: unknown = res.ok ? await res.json().catch(() => null) : null;
    return isMeView(body) ? { kind: 'ok', user: body } : { kind: 'unreachable' };
  } catch {
    return { kind: 'unreachable' };
  }
}

/** The API's answer to one refresh: its status, the cookies it set and its body. */
interface Rotation {
  status: number;
  cookies: string[];
  body: unknown;
}

/**
 * Rotations in flight or just done, by refresh token: parallel page loads of one browser (tabs,
 * requests queued behind the browser's connection limit) present the same cookie at once or
 * shortly after, and must share one rotation instead of racing for it, however long the first
 * one took. A successful answer is kept this long; a refusal is not kept at all.
 */
const RECENT_MS = 30_000;
const inflight = new Map<string, Promise<Rotation | null>>();

function rotate(event: H3Event, refreshToken: string): Promise<Rotation | null> {
  const running = inflight.get(refreshToken);
  if (running) return running;
  const { apiInternalUrl } = useRuntimeConfig(event);
  const started = fetch(`${apiInternalUrl}/api/auth/refresh`, {
    method: 'POST',
    headers: { ...upstreamHeaders(event), cookie: `${REFRESH_COOKIE}=${encodeURIComponent(refreshToken)}` },
  })
    .then(async (res): Promise<Rotation> => ({
      status: res.status,
      cookies: res.headers.getSetCookie(),
      body: res.ok ? await res.json().catch(() => null) : null,
    }))
    .catch(() => null)
    .then((rotation) => {
      if (rotation?.status === 200) setTimeout(() => inflight.delete(refreshToken), RECENT_MS).unref();
      else inflight.delete(refreshToken);
      return rotation;
    });
  inflight.set(refreshToken, started);
  return started;
}

function signOutCookies(event: H3Event): void {
  deleteCookie(event, REFRESH_COOKIE, { path: '/' });
  deleteCookie(event, ACCESS_COOKIE, { path: '/' });
}

/**
 * The session of a page request. A still-valid access cookie is used as it is (one API call,
 * nothing rotated); only once it has expired is the refresh cookie exchanged, and the new
 * cookies passed on to the browser. Null when signed out or the API refuses the cookies.
 */
export async function resolveSession(event: H3Event): Promise<AuthView | null> {
  const access = getCookie(event, ACCESS_COOKIE);
  const claims = access ? peek(access) : null;
  if (access && claims && claims.expiresAt - Date.now() > ACCESS_MARGIN_MS) {
    const me = await fetchMe(event, access);
    if (me.kind === 'ok') {
      const expiresAt = new Date(claims.expiresAt).toISOString();
      return { accessToken: access, accessTokenExpiresAt: expiresAt, sessionId: claims.sessionId, user: me.user };
    }
    if (me.kind === 'unreachable') return null; // Render signed out, keep the cookies for the next try.
  }
  const refresh = getCookie(event, REFRESH_COOKIE);
  if (!refresh) {
    if (access) deleteCookie(event, ACCESS_COOKIE, { path: '/' });
    return null;
  }
  const rotation = await rotate(event, refresh);
  if (!rotation) return null; // API unreachable: render signed out, keep the cookie for the next try.
  for (const c of rotation.cookies) appendResponseHeader(event, 'set-cookie', rewriteCookiePath(c));
  if (rotation.status === 401 && rotation.cookies.length === 0) signOutCookies(event);
  return isAuthView(rotation.body) ? rotation.body : null;
}
