import compression from 'compression';
import type { Request, Response } from 'express';

/**
 * Compresses what the server renders or relays (HTML, the /api JSON, Socket.IO polling) with
 * brotli or gzip, as the browser accepts. Build files are served pre-compressed instead
 * (nitro.compressPublicAssets), and media is left as it is (already compressed).
 */
const compress = compression({
  threshold: 1024,
  // In-process requests (Nuxt renders its error page through one) never reach the wire, and
  // their body is read back as text: compressing them would garble the page.
  filter: (req, res) => !('__unenv__' in req) && compression.filter(req, res),
});

// Typed for Express, it uses only what Node's own request and response have.
export default fromNodeMiddleware((req, res, next) =>
  compress(req as unknown as Request, res as unknown as Response, (err?: unknown) => next(err instanceof Error ? err : undefined)),
);
