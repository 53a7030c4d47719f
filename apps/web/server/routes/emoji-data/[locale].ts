import { createHash } from 'node:crypto';
import en from 'emoji-picker-element-data/en/emojibase/data.json';
import ru from 'emoji-picker-element-data/ru/emojibase/data.json';

/**
 * The emoji picker's data, served by this site (no CDN: the picker works on a closed network and
 * offline once cached in IndexedDB). The ETag lets the picker check for updates with a HEAD.
 */
const FILES: Record<string, { body: string; etag: string }> = {};
for (const [locale, data] of Object.entries({ en, ru })) {
  const body = JSON.stringify(data);
  FILES[locale] = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
}

export default defineEventHandler((event) => {
  const file = FILES[getRouterParam(event, 'locale') ?? ''];
  if (!file) throw createError({ statusCode: 404 });
  setResponseHeaders(event, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'public, max-age=86400',
    etag: file.etag,
  });
  if (getRequestHeader(event, 'if-none-match') === file.etag) {
    setResponseStatus(event, 304);
    return '';
  }
  return file.body;
});
