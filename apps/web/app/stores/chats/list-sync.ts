import type { ChatView, CountersView, Page } from '@app/contracts';
import type { ComputedRef, Ref } from 'vue';
import type { useCountersStore } from '~/stores/counters';
import type { useSessionStore } from '~/stores/session';
import { toApiRequestError } from '~/utils/api-error';
import type { UnreadCounters } from '~/utils/chat-list';
import type { ChatsCore } from './actions';

const PAGE = 30;
/** Catch-ups run in parallel after a reconnect. */
const CATCH_UP_CONCURRENCY = 4;

/** The list's paging state and what the list sync needs beyond the chat actions' core. */
export interface ListCore extends ChatsCore {
  session: ReturnType<typeof useSessionStore>;
  counters: ReturnType<typeof useCountersStore>;
  nextCursor: Ref<string | null>;
  listLoaded: Ref<boolean>;
  loadingMore: Ref<boolean>;
  listError: Ref<string | null>;
  serverUnread: Ref<{ totals: UnreadCounters; localAtFetch: UnreadCounters } | null>;
  localTotals: ComputedRef<UnreadCounters>;
  badge: ComputedRef<UnreadCounters>;
  /** The seq applied for each chat held (its sequencer's, else the view's). */
  appliedSeq(chatId: string): number;
  /** A page of the list fetched from `from` on, merged. */
  mergeList(views: ChatView[], from: number): void;
  markRead(chatId: string, seq: number, retry?: boolean): Promise<void>;
}

async function runLimited(tasks: (() => Promise<unknown>)[], limit: number): Promise<void> {
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) await task().catch(() => undefined);
    }),
  );
}

/** The chat list's pages, the server's counters, and the catch-up after every (re)connect. */
export function chatListSync(core: ListCore) {
  const { api, byId, nextCursor, listLoaded, listError } = core;
  const held = (): number => Object.keys(byId.value).length;

  /** The first page (SSR and after every reconnect), merged into what is held. */
  async function loadFirstPage(): Promise<void> {
    try {
      const from = import.meta.client ? performance.now() : 0;
      const page = await api().get<Page<ChatView>>('/chats', { limit: PAGE });
      core.mergeList(page.items, from);
      if (!listLoaded.value || held() <= PAGE) nextCursor.value = page.nextCursor;
      listLoaded.value = true;
      listError.value = null;
      if (import.meta.server) core.counters.set(core.badge.value);
    } catch (err) {
      listError.value = toApiRequestError(err).code;
      if (import.meta.server) return;
      throw err;
    }
  }

  async function loadMore(): Promise<void> {
    if (!nextCursor.value || core.loadingMore.value) return;
    core.loadingMore.value = true;
    try {
      const from = performance.now();
      const page = await api().get<Page<ChatView>>('/chats', { limit: PAGE, cursor: nextCursor.value });
      core.mergeList(page.items, from);
      nextCursor.value = page.nextCursor;
    } finally {
      core.loadingMore.value = false;
    }
  }

  async function fetchCounters(): Promise<void> {
    try {
      const view = await api().get<CountersView>('/me/counters');
      if (view.unreadChats !== undefined && view.unreadMessages !== undefined) {
        core.serverUnread.value = { totals: { unreadChats: view.unreadChats, unreadMessages: view.unreadMessages }, localAtFetch: core.localTotals.value };
      }
    } catch {
      // Derived from the list instead.
    }
  }

  /**
   * After every (re)connect and `resync` hint: a fresh first page and counters; every chat held
   * catches up from its own seq (those the fresh page shows unchanged need nothing).
   */
  async function resync(): Promise<void> {
    if (!core.session.isSignedIn) return;
    const before = new Map(Object.values(byId.value).map((c) => [c.id, core.appliedSeq(c.id)]));
    let page: ChatView[] = [];
    try {
      const from = performance.now();
      const [first] = await Promise.all([api().get<Page<ChatView>>('/chats', { limit: PAGE }), fetchCounters()]);
      page = first.items;
      core.mergeList(page, from);
      if (!listLoaded.value || held() <= PAGE) nextCursor.value = first.nextCursor;
      listLoaded.value = true;
      listError.value = null;
    } catch (err) {
      listError.value = toApiRequestError(err).code;
    }
    core.messages.retryFailed((id) => byId.value[id]?.lastReadSeq ?? 0);
    core.messages.recheckHidden();
    const seen = new Set(page.map((c) => c.id));
    const stale = [...before.keys()].filter((id) => !seen.has(id) && byId.value[id]);
    await runLimited(stale.map((id) => () => core.catchUp(id)), CATCH_UP_CONCURRENCY);
    for (const [chatId, seq] of core.unsentReads) void core.markRead(chatId, seq, true);
  }

  return { loadFirstPage, loadMore, resync };
}
