import type { AuthView } from '@app/contracts';

/**
 * Offers the page renderer this request's session (see H3EventContext.resolveAuth). Nothing is
 * looked up here: which requests are pages is the renderer's business, not a guess from the URL.
 */
export default defineEventHandler((event) => {
  let resolved: Promise<AuthView | null> | undefined;
  event.context.resolveAuth = () => {
    resolved ??= resolveSession(event).then((auth) => {
      // A signed-in page carries the user's data and access token: never store it in a shared cache.
      if (auth) setResponseHeader(event, 'cache-control', 'private, no-store');
      return auth;
    });
    return resolved;
  };
});
