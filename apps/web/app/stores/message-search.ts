import type { MessageSearchHit, Page } from '@app/contracts';
import { createApiClient } from '~/composables/useApi';

const PAGE_SIZE = 20;
/** The API reads at most 200 characters. */
const QUERY_MAX = 200;

export interface MessageSearchState {
  query: string;
  hits: MessageSearchHit[];
  cursor: string | null;
  loading: boolean;
  failed: boolean;
  /** The first page of `query` has arrived. */
  loaded: boolean;
}

const empty = (): MessageSearchState => ({ query: '', hits: [], cursor: null, loading: false, failed: false, loaded: false });

/** Whether a query has a word the API can search for (letters or digits). */
export function searchable(q: string): boolean {
  return /[\p{L}\p{N}]/u.test(q);
}

/**
 * Message search, newest first: one result list for all chats (`all`) and one per chat searched
 * from inside it. A slower older answer never overwrites a newer query's results.
 */
export const useMessageSearchStore = defineStore('message-search', () => {
  const nuxtApp = useNuxtApp();
  const scopes = ref<Record<string, MessageSearchState>>({});
  // Not state: the newest request per scope.
  const generation = new Map<string, number>();

  function stateOf(scope: string): MessageSearchState {
    return scopes.value[scope] ?? empty();
  }

  async function fetchPage(q: string, chatId: string | undefined, cursor: string | null): Promise<Page<MessageSearchHit>> {
    return createApiClient(nuxtApp).get<Page<MessageSearchHit>>('/messages/search', { q, chatId, cursor: cursor ?? undefined, limit: PAGE_SIZE });
  }

  async function load(scope: string, chatId: string | undefined, q: string, more: boolean): Promise<void> {
    const mine = (generation.get(scope) ?? 0) + 1;
    generation.set(scope, mine);
    const cur = stateOf(scope);
    scopes.value[scope] = more ? { ...cur, loading: true, failed: false } : { ...empty(), query: q, loading: true };
    try {
      const page = await fetchPage(q, chatId, more ? cur.cursor : null);
      if (generation.get(scope) !== mine) return;
      const before = more ? cur.hits : [];
      const seen = new Set(before.map((h) => h.message.id));
      scopes.value[scope] = {
        query: q,
        hits: [...before, ...page.items.filter((h) => !seen.has(h.message.id))],
        cursor: page.nextCursor,
        loading: false,
        failed: false,
        loaded: true,
      };
    } catch {
      if (generation.get(scope) === mine) scopes.value[scope] = { ...stateOf(scope), loading: false, failed: true };
    }
  }

  /** Searches `raw` in one chat (`chatId`) or in all (`undefined`); an empty query clears the results. */
  function run(raw: string, chatId?: string): Promise<void> {
    const scope = chatId ?? 'all';
    const q = raw.trim().slice(0, QUERY_MAX);
    const cur = stateOf(scope);
    if (q === cur.query && (cur.loaded || cur.loading) && !cur.failed) return Promise.resolve();
    if (!searchable(q)) {
      generation.set(scope, (generation.get(scope) ?? 0) + 1);
      scopes.value[scope] = { ...empty(), query: q };
      return Promise.resolve();
    }
    return load(scope, chatId, q, false);
  }

  function more(chatId?: string): Promise<void> {
    const scope = chatId ?? 'all';
    const cur = stateOf(scope);
    if (!cur.cursor || cur.loading) return Promise.resolve();
    return load(scope, chatId, cur.query, true);
  }

  function retry(chatId?: string): Promise<void> {
    const scope = chatId ?? 'all';
    return load(scope, chatId, stateOf(scope).query, false);
  }

  function clear(chatId?: string): void {
    const scope = chatId ?? 'all';
    generation.set(scope, (generation.get(scope) ?? 0) + 1);
    delete scopes.value[scope];
  }

  return { scopes, stateOf, run, more, retry, clear };
});
