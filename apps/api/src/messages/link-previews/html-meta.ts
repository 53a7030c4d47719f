import { Parser } from 'htmlparser2';

export interface PageMeta {
  title: string | null;
  description: string | null;
  siteName: string | null;
  /** Absolute http(s) URL of the page's preview image. */
  image: string | null;
}

const TEXT_MAX = { title: 200, description: 400, siteName: 100 } as const;

/** Plain text only: whitespace collapsed, control characters dropped, cut to a length. */
function clean(value: string | undefined, max: number): string | null {
  // oxlint-disable-next-line no-control-regex
  const text = value?.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!text) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function absolute(raw: string | undefined, base: string): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Reads Open Graph, Twitter card and plain <title>/<meta name=description> tags of an HTML page. */
export function parsePageMeta(html: string, pageUrl: string): PageMeta {
  const meta = new Map<string, string>();
  let title = '';
  let inTitle = false;
  let titleDone = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'title' && !titleDone) inTitle = true;
        if (name !== 'meta') return;
        const key = (attrs.property ?? attrs.name ?? '').trim().toLowerCase();
        if (key && attrs.content !== undefined && !meta.has(key)) meta.set(key, attrs.content);
      },
      ontext(text) {
        if (inTitle) title += text;
      },
      onclosetag(name) {
        if (name === 'title' && inTitle) {
          inTitle = false;
          titleDone = true;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  const pick = (...keys: string[]): string | undefined => keys.map((k) => meta.get(k)).find((v) => v?.trim());
  return {
    title: clean(pick('og:title', 'twitter:title') ?? title, TEXT_MAX.title),
    description: clean(pick('og:description', 'twitter:description', 'description'), TEXT_MAX.description),
    siteName: clean(pick('og:site_name', 'application-name'), TEXT_MAX.siteName),
    image: absolute(pick('og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src'), pageUrl),
  };
}

/** The first http(s) link of a message's text, or null. */
export function firstLink(text: string | null): string | null {
  if (!text) return null;
  const match = /\bhttps?:\/\/[^\s<>"'`]+/i.exec(text);
  if (!match) return null;
  const raw = match[0].replace(/[.,;:!?)\]}]+$/, (tail) => (match[0].includes('(') && tail.startsWith(')') ? ')' : ''));
  try {
    const url = new URL(raw);
    return url.hostname ? url.href : null;
  } catch {
    return null;
  }
}

/** The cache key of a URL: lower-cased host, no fragment, default port dropped (the URL parser does that). */
export function normalizeUrl(href: string): string {
  const url = new URL(href);
  url.hash = '';
  url.hostname = url.hostname.toLowerCase();
  return url.href;
}
