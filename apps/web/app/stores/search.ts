import { LIMITS, type Page, type UserView } from '@app/contracts';
import { createApiClient } from '~/composables/useApi';
import { usePeopleStore } from '~/stores/people';

const PAGE_SIZE = 20;

/** Clean a typed query the way the API reads it (trimmed, at most 64 characters). */
export function normalizeQuery(q: unknown): string {
  const text = typeof q === 'string' ? q.trim() : '';
  return [...text].slice(0, LIMITS.searchQueryMax).join('');
}

/**
 * User search: the current query and its keyset-paged results (ids; the views live in the
 * people store, so a result card shows relationship changes made anywhere).
 */
export const useUserSearchStore = defineStore('user-search', () => {
  const nuxtApp = useNuxtApp();
  const people = usePeopleStore();

  const query = ref('');
  const ids = ref<string[]>([]);
  const cursor = ref<string | null>(null);
  const loaded = ref(false);
  const loading = ref(false);
  const failed = ref(false);

  // Not state: the number of the newest search, so a slow older answer cannot overwrite it.
  let generation = 0;

  const results = computed(() =>
    ids.value.filter((id) => !people.hidden[id]).flatMap((id) => {
      const u = people.users[id];
      return u ? [u] : [];
    }),
  );

  async function fetchPage(q: string, after: string | null): Promise<Page<UserView>> {
    const asOf = people.stamp();
    const page = await createApiClient(nuxtApp).get<Page<UserView>>('/users/search', {
      q,
      cursor: after ?? undefined,
      limit: PAGE_SIZE,
    });
    people.remember(page.items, asOf);
    return page;
  }

  /** Searches for `raw` (a no-op when it is the query already shown). */
  async function run(raw: string): Promise<void> {
    const q = normalizeQuery(raw);
    if (q === query.value && (loaded.value || loading.value)) return;
    const mine = ++generation;
    query.value = q;
    ids.value = [];
    cursor.value = null;
    failed.value = false;
    loaded.value = false;
    if (!q) {
      loading.value = false;
      return;
    }
    loading.value = true;
    try {
      const page = await fetchPage(q, null);
      if (mine !== generation) return;
      ids.value = page.items.map((u) => u.id);
      cursor.value = page.nextCursor;
      loaded.value = true;
    } catch (err) {
      if (mine === generation) failed.value = true;
      throw err;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** The next page of the current query. */
  async function more(): Promise<void> {
    if (!cursor.value || loading.value || !query.value) return;
    const mine = generation;
    loading.value = true;
    failed.value = false;
    try {
      const page = await fetchPage(query.value, cursor.value);
      if (mine !== generation) return;
      const seen = new Set(ids.value);
      ids.value = [...ids.value, ...page.items.map((u) => u.id).filter((id) => !seen.has(id))];
      cursor.value = page.nextCursor;
    } catch (err) {
      if (mine === generation) failed.value = true;
      throw err;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Search again from the first page (after an error). */
  function retry(): Promise<void> {
    const q = query.value;
    query.value = '';
    loaded.value = false;
    return run(q);
  }

  return { query, ids, cursor, loaded, loading, failed, results, run, more, retry };
});
