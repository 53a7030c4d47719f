import type { GalleryItem, MediaView } from '@app/contracts';
import { useGalleryStore } from '~/stores/gallery';

/** The query parameter that holds the open media id (so reload, links and the back button work). */
export const VIEWER_QUERY = 'media';
/** Pages of the gallery to walk through looking for a media file opened by URL. */
const MAX_LOCATE_PAGES = 20;
/** Start loading the next page when this close to the end of what is loaded. */
const PREFETCH_WITHIN = 3;

/**
 * The fullscreen viewer's state. Which file is open lives in the URL (`?media=<id>`); the order
 * comes from the chat's gallery (newest first), paged in on demand. Until the file is found in
 * the gallery, the attachments of the message it was opened from stand in (`seed`).
 */
export const useMediaViewerStore = defineStore('media-viewer', () => {
  const nuxtApp = useNuxtApp();
  const gallery = useGalleryStore();

  const chatId = ref<string | null>(null);
  const mediaId = ref<string | null>(null);
  /** The attachments of the message the viewer was opened from (message order). */
  const seed = ref<MediaView[]>([]);
  const locating = ref(false);
  /** Whether our own open() pushed the history entry, so closing may go back over it. */
  let pushed = false;

  const list = computed(() => (chatId.value ? gallery.peek(chatId.value, 'all') : undefined));
  const inGallery = computed(() => !!mediaId.value && !!list.value?.items.some((i) => i.media.id === mediaId.value));

  /** Newest first, like the gallery. */
  const sequence = computed<MediaView[]>(() => {
    if (inGallery.value || !seed.value.some((m) => m.id === mediaId.value)) return list.value?.items.map((i) => i.media) ?? [];
    return [...seed.value].reverse();
  });
  const index = computed(() => sequence.value.findIndex((m) => m.id === mediaId.value));
  const current = computed<MediaView | null>(() => sequence.value[index.value] ?? null);
  const item = computed<GalleryItem | null>(() => list.value?.items.find((i) => i.media.id === mediaId.value) ?? null);
  const hasNewer = computed(() => index.value > 0);
  const hasOlder = computed(
    () => index.value >= 0 && (index.value < sequence.value.length - 1 || (inGallery.value && !!list.value?.cursor)),
  );
  /**
   * "3 of 12", counted from the oldest so it grows with → (newer), as the files sit in a message.
   * While older pages are not loaded the count from the oldest is not known: n is 0 (not shown).
   */
  const position = computed(() => {
    const more = inGallery.value && !!list.value?.cursor;
    const total = sequence.value.length;
    return { n: more || index.value < 0 ? 0 : total - index.value, total, more };
  });

  const router = () => nuxtApp.$router;

  function queryWith(id: string | null): Record<string, string | string[] | null | undefined> {
    const q = { ...router().currentRoute.value.query } as Record<string, string | string[] | null | undefined>;
    if (id) q[VIEWER_QUERY] = id;
    else delete q[VIEWER_QUERY];
    return q;
  }

  /** Opens a file (from a message: pass its attachments as `from`); pushes a history entry. */
  async function open(chat: string, id: string, from: MediaView[] = []): Promise<void> {
    chatId.value = chat;
    seed.value = from.filter((m) => m.kind === 'image' || m.kind === 'video');
    mediaId.value = id;
    pushed = true;
    await router().push({ query: queryWith(id) });
  }

  /** Shows another file of the same chat, replacing the history entry. */
  async function show(id: string): Promise<void> {
    mediaId.value = id;
    await router().replace({ query: queryWith(id) });
  }

  async function close(): Promise<void> {
    if (!mediaId.value) return;
    const back = pushed && typeof window !== 'undefined' && window.history.length > 1;
    pushed = false;
    mediaId.value = null;
    if (back) router().back();
    else await router().replace({ query: queryWith(null) });
  }

  /** Follows the URL (called by <MediaViewer> whenever `?media=` changes). */
  function sync(chat: string, id: string | null): void {
    if (chatId.value !== chat) seed.value = [];
    chatId.value = chat;
    mediaId.value = id;
    if (!id) {
      pushed = false;
      seed.value = [];
      return;
    }
    if (import.meta.client) void locate();
  }

  /** Pages through the chat's gallery until the open file is in it (or the gallery ends). */
  async function locate(): Promise<void> {
    const chat = chatId.value;
    if (!chat || locating.value) return;
    locating.value = true;
    try {
      await gallery.ensure(chat, 'all');
      let pages = 0;
      while (!inGallery.value && list.value?.cursor && pages < MAX_LOCATE_PAGES && chatId.value === chat) {
        if (!(await gallery.loadMore(chat, 'all'))) break;
        pages += 1;
      }
      prefetch();
    } catch {
      // The seed (or nothing) stays on screen; the gallery can be retried by moving on.
    } finally {
      locating.value = false;
    }
  }

  function prefetch(): void {
    if (chatId.value && inGallery.value && list.value?.cursor && sequence.value.length - 1 - index.value <= PREFETCH_WITHIN) {
      void gallery.loadMore(chatId.value, 'all');
    }
  }

  async function older(): Promise<void> {
    if (!chatId.value || index.value < 0) return;
    if (index.value === sequence.value.length - 1 && inGallery.value && list.value?.cursor) {
      await gallery.loadMore(chatId.value, 'all');
    }
    const next = sequence.value[index.value + 1];
    if (next) await show(next.id);
    prefetch();
  }

  async function newer(): Promise<void> {
    const next = sequence.value[index.value - 1];
    if (next) await show(next.id);
  }

  return {
    chatId, mediaId, seed, locating, sequence, index, current, item, hasNewer, hasOlder, position,
    open, show, close, sync, older, newer,
  };
});
