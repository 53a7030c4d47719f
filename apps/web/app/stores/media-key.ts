import { MEDIA_LIMITS, type MediaKeyView } from '@app/contracts';
import { createApiClient } from '~/composables/useApi';

/** Fetch a new key this long before the current one expires (keys live 30–60 min). */
const REFRESH_BEFORE_MS = 5 * 60_000;
/** After a failed fetch, try again this much later. */
const RETRY_MS = 30_000;

/**
 * The signed-in user's media key (`?k=` on `<img>` / `<video>` URLs, see MediaKeyView). Fetched
 * once (also during SSR, so server-rendered media have working URLs), shared by every caller,
 * and renewed in the browser shortly before it expires.
 */
export const useMediaKeyStore = defineStore('media-key', () => {
  const nuxtApp = useNuxtApp();
  const key = ref<string | null>(null);
  const expiresAt = ref<string | null>(null);

  let inflight: Promise<string | null> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function fresh(now = Date.now()): boolean {
    return key.value !== null && expiresAt.value !== null && Date.parse(expiresAt.value) - now > REFRESH_BEFORE_MS;
  }

  function schedule(ms: number): void {
    if (!import.meta.client) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void ensure(true);
    }, Math.max(1000, ms));
  }

  async function fetchKey(): Promise<string | null> {
    try {
      const view = await createApiClient(nuxtApp).get<MediaKeyView>('/media/key');
      key.value = view.key;
      expiresAt.value = view.expiresAt;
      schedule(Date.parse(view.expiresAt) - Date.now() - REFRESH_BEFORE_MS);
      return view.key;
    } catch {
      schedule(RETRY_MS);
      return key.value;
    }
  }

  /** The current key, fetched when there is none or it is about to expire. */
  function ensure(force = false): Promise<string | null> {
    if (!force && fresh()) {
      // A key that came with the server render still needs its renewal timer in the browser.
      if (import.meta.client && !timer && expiresAt.value) schedule(Date.parse(expiresAt.value) - Date.now() - REFRESH_BEFORE_MS);
      return Promise.resolve(key.value);
    }
    inflight ??= fetchKey().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  /** A media URL usable in `src`, or null while no key is known (the caller shows the placeholder). */
  function src(url: string | null | undefined): string | null {
    if (!url || !key.value) return null;
    const sep = url.includes('?') ? '&' : '?';
    return `${url}${sep}${MEDIA_LIMITS.keyParam}=${encodeURIComponent(key.value)}`;
  }

  function clear(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    key.value = null;
    expiresAt.value = null;
  }

  return { key, expiresAt, ensure, src, clear };
});
