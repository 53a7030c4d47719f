import type { Ack, AnyChatEvent, HistoryView, MessageView } from '@app/contracts';
import { applyEventToWindow, unreadFromWindow, upsertMessage } from '~/utils/chat-apply';
import { statusOfCode } from '~/utils/chat-outbox';
import { ApiRequestError, toApiRequestError } from '~/utils/api-error';
import { createApiClient } from '~/composables/useApi';

/** Messages fetched per history page. */
const PAGE = 50;
/** Pages loaded at most when opening a chat to reach its first unread message. */
const OPEN_PAGES = 3;
/** Pages loaded at most to reach a quoted message. */
const JUMP_PAGES = 40;

/** A chat's loaded messages: contiguous in seq, always reaching the chat's newest message. */
export interface MessageWindow {
  items: MessageView[];
  /** Older messages exist before items[0]. */
  hasMore: boolean;
  loading: boolean;
  error: string | null;
}

/**
 * Loaded message history per chat. Chat-room events reach it through the chats store's
 * sequencer (in seq order), never straight from the socket; actions return what the API stored.
 */
export const useMessagesStore = defineStore('messages', () => {
  const nuxtApp = useNuxtApp();
  const windows = ref<Record<string, MessageWindow>>({});
  /** Unsent composer text per chat (kept while switching chats). */
  const drafts = ref<Record<string, string>>({});

  // Not state: requests in flight per chat, so concurrent callers share one.
  const inflight = new Map<string, Promise<void>>();
  const api = () => createApiClient(nuxtApp);
  const realtime = useRealtime();

  function windowOf(chatId: string): MessageWindow | null {
    return windows.value[chatId] ?? null;
  }

  async function fetchPage(chatId: string, before?: number): Promise<HistoryView> {
    return api().get<HistoryView>(`/chats/${chatId}/messages`, { before, limit: PAGE });
  }

  function once(key: string, run: () => Promise<void>): Promise<void> {
    const running = inflight.get(key);
    if (running) return running;
    const p = run().finally(() => inflight.delete(key));
    inflight.set(key, p);
    return p;
  }

  /** Loads the newest page, then older ones until the first unread message is in (a few pages at most). */
  function ensureLoaded(chatId: string, lastReadSeq: number): Promise<void> {
    if (windows.value[chatId]?.items.length || windows.value[chatId]?.hasMore === false) return Promise.resolve();
    return once(`open:${chatId}`, async () => {
      windows.value[chatId] = { items: [], hasMore: true, loading: true, error: null };
      try {
        const page = await fetchPage(chatId);
        let items = page.items;
        let hasMore = page.hasMore;
        for (let i = 1; i < OPEN_PAGES && hasMore && items[0] && items[0].seq > lastReadSeq; i += 1) {
          const older = await fetchPage(chatId, items[0].seq);
          items = [...older.items, ...items];
          hasMore = older.hasMore;
        }
        // Events may have been applied meanwhile: merge rather than overwrite.
        const current = windows.value[chatId]?.items ?? [];
        for (const m of current) items = upsertMessage(items, m);
        windows.value[chatId] = { items, hasMore, loading: false, error: null };
      } catch (err) {
        windows.value[chatId] = { items: [], hasMore: true, loading: false, error: toApiRequestError(err).code };
        throw err;
      }
    });
  }

  /** Scrolling up: the page before the oldest loaded message. */
  function loadOlder(chatId: string): Promise<void> {
    const w = windows.value[chatId];
    if (!w || !w.hasMore || w.loading || !w.items[0]) return Promise.resolve();
    return once(`older:${chatId}`, async () => {
      const oldest = w.items[0]!.seq;
      w.loading = true;
      try {
        const page = await fetchPage(chatId, oldest);
        const cur = windows.value[chatId];
        if (!cur) return;
        let items = cur.items;
        for (const m of page.items) items = upsertMessage(items, m);
        windows.value[chatId] = { ...cur, items, hasMore: page.hasMore, loading: false };
      } catch (err) {
        const cur = windows.value[chatId];
        if (cur) cur.loading = false;
        throw err;
      }
    });
  }

  /** Loads older pages until the message with this seq is in the window (to jump to a quote). */
  async function loadUntil(chatId: string, seq: number): Promise<boolean> {
    for (let i = 0; i < JUMP_PAGES; i += 1) {
      const w = windows.value[chatId];
      if (!w) return false;
      if (w.items[0] && w.items[0].seq <= seq) return true;
      if (!w.hasMore) return false;
      await loadOlder(chatId);
    }
    return false;
  }

  /** Too far behind for the event log: the newest page replaces the window. */
  async function reload(chatId: string): Promise<void> {
    if (!windows.value[chatId]) return;
    const page = await fetchPage(chatId);
    windows.value[chatId] = { items: page.items, hasMore: page.hasMore, loading: false, error: null };
  }

  function applyEvent(e: AnyChatEvent): void {
    const w = windows.value[e.chatId];
    if (!w || (w.items.length === 0 && w.loading)) {
      // Still loading its first page: keep new messages so they are merged in.
      if (w && e.type === 'message:created') w.items = upsertMessage(w.items, e.data);
      return;
    }
    const next = applyEventToWindow(w.items, e);
    if (next !== w.items) w.items = next;
  }

  /** A message the API returned to me (send, edit, delete, react): shown without waiting for its event. */
  function upsert(m: MessageView): void {
    const w = windows.value[m.chatId];
    if (w) w.items = upsertMessage(w.items, m);
  }

  function unreadOf(chatId: string, meId: string, lastReadSeq: number): number | null {
    const w = windows.value[chatId];
    if (!w || w.loading) return null;
    return unreadFromWindow(w.items, w.hasMore, meId, lastReadSeq);
  }

  /** Over the socket when it is up (the same service as REST), else over HTTP. */
  async function viaSocketOrHttp(
    socketCall: () => Promise<Ack<MessageView>>,
    httpCall: () => Promise<MessageView>,
  ): Promise<MessageView> {
    if (realtime.status.value === 'online') {
      let reply: Ack<MessageView> | null;
      try {
        reply = await socketCall();
      } catch {
        reply = null;
      }
      if (reply?.ok) return reply.data;
      if (reply && !reply.ok) throw new ApiRequestError(statusOfCode(reply.error.code), reply.error);
    }
    return httpCall();
  }

  async function edit(chatId: string, messageId: string, text: string): Promise<MessageView> {
    const m = await viaSocketOrHttp(
      () => realtime.emitAck('message:edit', { chatId, messageId, text }),
      () => api().patch<MessageView>(`/chats/${chatId}/messages/${messageId}`, { text }),
    );
    upsert(m);
    return m;
  }

  async function remove(chatId: string, messageId: string): Promise<MessageView> {
    const m = await viaSocketOrHttp(
      () => realtime.emitAck('message:delete', { chatId, messageId }),
      () => api().del<MessageView>(`/chats/${chatId}/messages/${messageId}`),
    );
    upsert(m);
    return m;
  }

  async function react(chatId: string, messageId: string, emoji: string, on: boolean): Promise<MessageView> {
    const path = `/chats/${chatId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;
    const m = await viaSocketOrHttp(
      () => realtime.emitAck('reaction:set', { chatId, messageId, emoji, on }),
      () => (on ? api().put<MessageView>(path) : api().del<MessageView>(path)),
    );
    upsert(m);
    return m;
  }

  /** After a reconnect: windows whose first load failed are loaded again. */
  function retryFailed(lastReadOf: (chatId: string) => number): void {
    for (const [chatId, w] of Object.entries(windows.value)) {
      if (w.error && w.items.length === 0) void ensureLoaded(chatId, lastReadOf(chatId)).catch(() => undefined);
    }
  }

  function drop(chatId: string): void {
    delete windows.value[chatId];
  }

  function setDraft(chatId: string, text: string): void {
    if (text) drafts.value[chatId] = text;
    else delete drafts.value[chatId];
  }

  return { windows, drafts, windowOf, ensureLoaded, loadOlder, loadUntil, reload, applyEvent, upsert, unreadOf, drop, setDraft, edit, remove, react, retryFailed };
});
