import { Inject, Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { parsePageMeta } from './html-meta.js';
import type { StoredCard } from './link-previews.repository.js';
import { safeFetch, type Resolver, type SafeFetchOptions } from './safe-fetch.js';

const HTML = new Set(['text/html', 'application/xhtml+xml']);
const IMAGE = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);
/** The card's image: at most this edge, WebP. */
const IMAGE_EDGE = 480;
const IMAGE_MAX_PIXELS = 40_000_000;

/** Where the fetcher resolves names; tests replace it to map public-looking names onto their own servers. */
export const LINK_RESOLVER = Symbol('LINK_RESOLVER');

/** Fetches a page's card and its image through the safe fetcher, all within one time budget. */
@Injectable()
export class LinkFetcher {
  private readonly base: Omit<SafeFetchOptions, 'accept' | 'truncate' | 'timeoutMs'>;
  private readonly timeoutMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(LINK_RESOLVER) resolve: Resolver | null) {
    const c = config.linkPreviews;
    this.timeoutMs = c.timeoutMs;
    this.base = { maxBytes: c.maxBytes, maxRedirects: 4, allowHosts: new Set(c.allowHosts), ...(resolve ? { resolve } : {}) };
  }

  /** The card of a URL; throws FetchRefused (or a decoding error) when there is none to show. */
  async card(url: string): Promise<StoredCard> {
    const started = Date.now();
    const page = await safeFetch(url, { ...this.base, timeoutMs: this.timeoutMs, truncate: true, accept: (t) => HTML.has(t) });
    const meta = parsePageMeta(page.body.toString('utf8'), page.url);
    if (!meta.title && !meta.description) throw new Error('the page has no title or description');
    const left = this.timeoutMs - (Date.now() - started);
    const image = meta.image && left > 50 ? await this.image(meta.image, left).catch(() => null) : null;
    return { url: page.url, title: meta.title, description: meta.description, siteName: meta.siteName, image };
  }

  private async image(url: string, timeoutMs: number): Promise<StoredCard['image']> {
    const file = await safeFetch(url, { ...this.base, timeoutMs, truncate: false, accept: (t) => IMAGE.has(t) });
    const { data, info } = await sharp(file.body, { pages: 1, limitInputPixels: IMAGE_MAX_PIXELS })
      .rotate()
      .resize(IMAGE_EDGE, IMAGE_EDGE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 72 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }
}
