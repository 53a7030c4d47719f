import type { GalleryItem, MediaKind, MediaView, Page } from '@app/contracts';
import { createApiClient } from '~/composables/useApi';

export type GalleryFilter = MediaKind | 'all';

export interface GalleryList {
  items: GalleryItem[];
  /** Cursor of the next page; null when the end is reached (or before the first load). */
  cursor: string | null;
  loaded: boolean;
  loading: boolean;
  failed: boolean;
}

const PAGE_SIZE = 30;

const listKey = (chatId: string, filter: GalleryFilter): string => `${chatId}:${filter}`;
const emptyList = (): GalleryList => ({ items: [], cursor: null, loaded: false, loading: false, failed: false });

/**
 * A chat's photos and videos, newest first, one keyset-paged list per chat and filter (all,
 * images, videos). The viewer walks the `all` list; the gallery page shows the filtered one.
 */
export const useGalleryStore = defineStore('gallery', () => {
  const nuxtApp = useNuxtApp();
  const api = () => createApiClient(nuxtApp);
  const lists = ref<Record<string, GalleryList>>({});

  function list(chatId: string, filter: GalleryFilter = 'all'): GalleryList {
    const k = listKey(chatId, filter);
    lists.value[k] ??= emptyList();
    return lists.value[k];
  }

  /** Read-only lookup that creates nothing (safe inside computed). */
  function peek(chatId: string, filter: GalleryFilter = 'all'): GalleryList | undefined {
    return lists.value[listKey(chatId, filter)];
  }

  async function fetchPage(chatId: string, filter: GalleryFilter, cursor: string | null): Promise<Page<GalleryItem>> {
    return api().get<Page<GalleryItem>>(`/chats/${encodeURIComponent(chatId)}/media`, {
      limit: PAGE_SIZE,
      cursor: cursor ?? undefined,
      kind: filter === 'all' ? undefined : filter,
    });
  }

  /** Loads the first page (replacing the list), or the next one when `more`. */
  async function load(chatId: string, filter: GalleryFilter = 'all', more = false): Promise<void> {
    const state = list(chatId, filter);
    if (state.loading || (more && !state.cursor)) return;
    state.loading = true;
    state.failed = false;
    try {
      const page = await fetchPage(chatId, filter, more ? state.cursor : null);
      const known = new Set(more ? state.items.map((i) => i.media.id) : []);
      const fresh = page.items.filter((i) => !known.has(i.media.id));
      state.items = more ? [...state.items, ...fresh] : page.items;
      state.cursor = page.nextCursor;
      state.loaded = true;
    } catch (err) {
      state.failed = true;
      throw err;
    } finally {
      state.loading = false;
    }
  }

  /** The first page, unless it is already here. */
  async function ensure(chatId: string, filter: GalleryFilter = 'all'): Promise<void> {
    if (!list(chatId, filter).loaded) await load(chatId, filter);
  }

  /** Loads the next page; false when there is none (or it failed). */
  async function loadMore(chatId: string, filter: GalleryFilter = 'all'): Promise<boolean> {
    const state = list(chatId, filter);
    if (!state.cursor) return false;
    try {
      await load(chatId, filter, true);
      return true;
    } catch {
      return false;
    }
  }

  /** A media file of the chat from any list already loaded. */
  function findMedia(chatId: string, mediaId: string): MediaView | undefined {
    for (const filter of ['all', 'image', 'video'] as const) {
      const hit = peek(chatId, filter)?.items.find((i) => i.media.id === mediaId);
      if (hit) return hit.media;
    }
    return undefined;
  }

  /** Forget a chat's lists (left the chat, or new media arrived and the lists should reload). */
  function invalidate(chatId: string): void {
    for (const filter of ['all', 'image', 'video'] as const) delete lists.value[listKey(chatId, filter)];
  }

  return { lists, list, peek, load, ensure, loadMore, findMedia, invalidate };
});
