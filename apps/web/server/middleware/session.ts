/** Resolves the signed-in user once per page render; the Nuxt app reads event.context.auth. */
export default defineEventHandler(async (event) => {
  if (!isPageRequest(event)) return;
  event.context.auth = await resolveSession(event);
  // A signed-in page carries the user's data and access token: never store it in a shared cache.
  if (event.context.auth) setResponseHeader(event, 'cache-control', 'private, no-store');
});
