/**
 * The security headers of every server-rendered page, as a pure function of the page's path, the
 * request's own origin, the configured Socket.IO URL and the nonce of this response.
 */
export interface PageHeaderInput {
  path: string;
  /** The origin the browser asked (scheme and host of this request). */
  requestOrigin: string;
  /** NUXT_PUBLIC_SOCKET_URL: an origin, or "" for the site's own origin. */
  socketUrl: string;
  nonce: string;
}

/** Pages whose URL carries a secret (a recovery token): no Referer leaves them, not even to the site itself. */
const SECRET_URL_PAGES = ['/reset-password'];

/** The http(s) origin and its websocket twin, as CSP sources. */
function withWebsocket(origin: string): string[] {
  const url = new URL(origin);
  const host = url.host;
  return url.protocol === 'https:' ? [`https://${host}`, `wss://${host}`] : [`http://${host}`, `ws://${host}`];
}

/**
 * Scripts only from the site or carrying this response's nonce (Nuxt's import map and config
 * script; the `__NUXT_DATA__` JSON block is data, not script, but gets the nonce too). Styles may be
 * inline: Vue renders `style` attributes and components inject <style>. The socket may live on the
 * site's own origin (ws: and wss: both listed, for TLS ended at a proxy) or at NUXT_PUBLIC_SOCKET_URL.
 */
export function contentSecurityPolicy(input: Pick<PageHeaderInput, 'requestOrigin' | 'socketUrl' | 'nonce'>): string {
  const own = new URL(input.requestOrigin).host;
  const connect = new Set(["'self'", `ws://${own}`, `wss://${own}`]);
  if (input.socketUrl) for (const source of withWebsocket(input.socketUrl)) connect.add(source);
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${input.nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    `connect-src ${[...connect].join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

export function pageSecurityHeaders(input: PageHeaderInput): Record<string, string> {
  const path = input.path.split('?')[0] ?? '/';
  const secretUrl = SECRET_URL_PAGES.some((p) => path === p || path.startsWith(`${p}/`));
  return {
    'content-security-policy': contentSecurityPolicy(input),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': secretUrl ? 'no-referrer' : 'strict-origin-when-cross-origin',
    // The page differs with the session and locale cookies: a cache must never hand one person's page to another.
    vary: 'Cookie',
  };
}

/** Gives Nuxt's own script tags (never the rendered app body) this response's nonce. */
export function addScriptNonce(chunks: string[], nonce: string): string[] {
  return chunks.map((chunk) => chunk.replace(/<script\b(?![^>]*\snonce=)/g, `<script nonce="${nonce}"`));
}
