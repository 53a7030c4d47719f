import type { MediaSizeView, MediaView } from '@app/contracts';
import { useMediaKeyStore } from '~/stores/media-key';

export interface MediaKeyHelpers {
  /** The key, reactive; null until fetched. */
  key: Ref<string | null>;
  /** Fetches the key if needed (call from a page's data loading or onMounted). */
  ensure: () => Promise<string | null>;
  /** `url?k=<key>`, or null while there is no key yet. */
  mediaSrc: (url: string | null | undefined) => string | null;
  /** A `srcset` of an image's WebP renditions and its original, or undefined without a key. */
  mediaSrcset: (media: MediaView, opts?: { withOriginal?: boolean; withThumb?: boolean }) => string | undefined;
}

/**
 * Media URLs for `<img>` and `<video>`: they cannot send Authorization, so the per-user media key
 * goes in the query. The key is fetched once per app (store `media-key`) and renewed before expiry;
 * in the browser the first call starts the fetch.
 */
export function useMediaKey(): MediaKeyHelpers {
  const store = useMediaKeyStore();
  if (import.meta.client && !store.key) void store.ensure();

  function mediaSrcset(media: MediaView, opts: { withOriginal?: boolean; withThumb?: boolean } = {}): string | undefined {
    if (!store.key) return undefined;
    const list: MediaSizeView[] = [];
    if (opts.withThumb !== false && media.urls.thumb) {
      const edge = Math.max(media.width, media.height);
      const scale = edge > 320 ? 320 / edge : 1;
      list.push({ url: media.urls.thumb, width: Math.round(media.width * scale), height: 0 });
    }
    list.push(...media.urls.sizes);
    if (opts.withOriginal && media.kind === 'image') list.push({ url: media.urls.original, width: media.width, height: media.height });
    const seen = new Set<number>();
    return list
      .filter((s) => s.width > 0 && !seen.has(s.width) && seen.add(s.width))
      .map((s) => `${store.src(s.url)} ${s.width}w`)
      .join(', ');
  }

  return {
    key: toRef(store, 'key'),
    ensure: () => store.ensure(),
    mediaSrc: (url) => store.src(url),
    mediaSrcset,
  };
}
