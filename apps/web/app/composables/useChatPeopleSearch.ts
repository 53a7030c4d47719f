import { LIMITS, type Page, type UserView } from '@app/contracts';
import { toApiRequestError } from '~/utils/api-error';

const DEBOUNCE_MS = 220;

/**
 * People to start a chat with or add to a group: GET /api/users/search (prefix, typo tolerant,
 * privacy respected); where that route is missing, an exact username look-up instead.
 * Debounced; a slow older answer never overwrites a newer one.
 */
export function useChatPeopleSearch() {
  const api = useApi();
  const query = ref('');
  const results = ref<UserView[]>([]);
  const loading = ref(false);
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function run(q: string, mine: number): Promise<void> {
    let found: UserView[] = [];
    try {
      found = (await api.get<Page<UserView>>('/users/search', { q, limit: 20 })).items;
    } catch (err) {
      if (toApiRequestError(err).status === 404 && !q.includes(' ')) {
        try {
          found = [await api.get<UserView>(`/users/by-username/${encodeURIComponent(q.replace(/^@/, ''))}`)];
        } catch {
          found = [];
        }
      }
    }
    if (mine !== generation) return;
    results.value = found.filter((u) => u.relationship !== 'self');
    loading.value = false;
  }

  watch(query, (raw) => {
    const q = [...raw.trim()].slice(0, LIMITS.searchQueryMax).join('');
    const mine = ++generation;
    if (timer) clearTimeout(timer);
    if (!q) {
      results.value = [];
      loading.value = false;
      return;
    }
    loading.value = true;
    timer = setTimeout(() => void run(q, mine), DEBOUNCE_MS);
  });

  onScopeDispose(() => {
    if (timer) clearTimeout(timer);
  });

  return { query, results, loading };
}
