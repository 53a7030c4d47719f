/**
 * The BFF proxy: every /api/** request goes to the API unchanged (method, headers, cookies,
 * streamed body, query), with the browser's address appended to X-Forwarded-For.
 */
export default defineEventHandler((event) => {
  const { apiInternalUrl } = useRuntimeConfig(event);
  const proto = getRequestProtocol(event);
  return proxyRequest(event, `${apiInternalUrl}${event.path}`, {
    streamRequest: true,
    headers: {
      'x-forwarded-for': forwardedFor(event),
      'x-forwarded-proto': proto,
      'x-forwarded-host': getRequestHost(event),
    },
    cookiePathRewrite: COOKIE_PATH_REWRITE,
  });
});
