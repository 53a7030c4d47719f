import type { H3Event } from 'h3';
import { REFRESH_COOKIE, REFRESH_COOKIE_PATH, type AuthView } from '@app/contracts';

declare module 'h3' {
  interface H3EventContext {
    /** The session resolved from the refresh cookie for this page render; null when signed out. */
    auth?: AuthView | null;
  }
}

/**
 * The browser must send the refresh cookie with page requests so the server can render the
 * signed-in page, so the BFF re-scopes it from the API's path to the whole site.
 */
export const COOKIE_PATH_REWRITE: Record<string, string> = { [REFRESH_COOKIE_PATH]: '/' };

const SKIPPED_PREFIXES = ['/api/', '/_nuxt/', '/__nuxt', '/_i18n/', '/_ipx/'];

/** True for a document request (a page), false for the API, assets and build files. */
export function isPageRequest(event: H3Event): boolean {
  if (event.method !== 'GET' && event.method !== 'HEAD') return false;
  const path = event.path.split('?')[0] ?? '/';
  if (path === '/api' || SKIPPED_PREFIXES.some((p) => path.startsWith(p))) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

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

function isAuthView(value: unknown): value is AuthView {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessToken === 'string' &&
    typeof v.accessTokenExpiresAt === 'string' &&
    typeof v.user === 'object' &&
    v.user !== null
  );
}

/**
 * Turns the browser's refresh cookie into an AuthView by calling the API once, and passes the
 * rotated cookie on to the browser. Null when there is no cookie or the API refuses it.
 */
export async function resolveSession(event: H3Event): Promise<AuthView | null> {
  const token = getCookie(event, REFRESH_COOKIE);
  if (!token) return null;
  const { apiInternalUrl } = useRuntimeConfig(event);
  const headers: Record<string, string> = {
    cookie: `${REFRESH_COOKIE}=${encodeURIComponent(token)}`,
    'x-forwarded-for': forwardedFor(event),
  };
  const ua = getRequestHeader(event, 'user-agent');
  if (ua) headers['user-agent'] = ua;

  let res: Response;
  try {
    res = await fetch(`${apiInternalUrl}/api/auth/refresh`, { method: 'POST', headers });
  } catch {
    return null; // API unreachable: render signed out, keep the cookie for the next try.
  }
  const cookies = res.headers.getSetCookie();
  for (const c of cookies) appendResponseHeader(event, 'set-cookie', rewriteCookiePath(c));
  if (res.status === 401 && cookies.length === 0) deleteCookie(event, REFRESH_COOKIE, { path: '/' });
  if (!res.ok) return null;
  const body: unknown = await res.json().catch(() => null);
  return isAuthView(body) ? body : null;
}
