/**
 * The BFF proxy: every /api/** request goes to the API unchanged (method, headers, cookies,
 * streamed body, query), with the browser's address appended to X-Forwarded-For. Awaited, not
 * returned: what proxyRequest returns is res.end()'s value, which under compression is the
 * compressing stream, and must not be sent again as a body.
 */
export default defineEventHandler(async (event) => {
  const { apiInternalUrl } = useRuntimeConfig(event);
  const proto = getRequestProtocol(event);
  await proxyRequest(event, `${apiInternalUrl}${event.path}`, {
    streamRequest: true,
    headers: {
      'x-forwarded-for': forwardedFor(event),
      'x-forwarded-proto': proto,
      'x-forwarded-host': getRequestHost(event),
    },
    cookiePathRewrite: COOKIE_PATH_REWRITE,
  });
});
