import { randomBytes } from 'node:crypto';
import { addScriptNonce, pageSecurityHeaders } from '../utils/security-headers';

/**
 * Security headers on every server-rendered page: a nonce-based Content-Security-Policy (the nonce
 * is added to the script tags Nuxt writes into head and body-close), nosniff, Referrer-Policy and
 * Vary: Cookie. Off under `nuxt dev`, whose hot reload runs inline and eval'd code.
 */
export default defineNitroPlugin((nitro) => {
  if (import.meta.dev) return;
  nitro.hooks.hook('render:html', (html, { event }) => {
    const nonce = randomBytes(18).toString('base64');
    html.head = addScriptNonce(html.head, nonce);
    html.bodyPrepend = addScriptNonce(html.bodyPrepend, nonce);
    html.bodyAppend = addScriptNonce(html.bodyAppend, nonce);
    const { public: pub } = useRuntimeConfig(event);
    const headers = pageSecurityHeaders({
      path: event.path,
      requestOrigin: getRequestURL(event).origin,
      socketUrl: typeof pub.socketUrl === 'string' ? pub.socketUrl : '',
      nonce,
    });
    const { vary, ...rest } = headers;
    setResponseHeaders(event, rest);
    appendResponseHeader(event, 'vary', vary);
  });
  nitro.hooks.hook('render:response', (response) => {
    if (response.headers) delete response.headers['x-powered-by'];
  });
});
