/** Resolves the signed-in user once per page render; the Nuxt app reads event.context.auth. */
export default defineEventHandler(async (event) => {
  if (!isPageRequest(event)) return;
  event.context.auth = await resolveSession(event);
});
