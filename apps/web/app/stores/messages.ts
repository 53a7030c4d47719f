import { parseMarks, type AnyChatEvent, type HiddenMessagesView, type HistoryView, type MessageView } from '@app/contracts';
import { applyEventToWindow, unreadFromWindow, upsertMessage } from '~/utils/chat-apply';
import { toApiRequestError } from '~/utils/api-error';
import { viaSocketOrHttp } from '~/utils/socket-or-http';
import { createApiClient } from '~/composables/useApi';

/** Messages fetched per history page. */
const PAGE = 50;
/** Pages loaded at most when opening a chat to reach its first unread message. */
const OPEN_PAGES = 3;
/** Pages loaded at most to reach a quoted message. */
const JUMP_PAGES = 40;
/** A message at most this many pages above the window is reached by scrolling back; further, a window opens around it. */
const NEAR_PAGES = 3;

/**
 * A chat's loaded messages: contiguous in seq, reaching the chat's newest message unless
 * `hasNewer` (a window opened around an older message, e.g. a search result).
 */
export interface MessageWindow {
  items: MessageView[];
  /** Older messages exist before items[0]. */
  hasMore: boolean;
  /** Newer messages exist after the last item: the window does not reach the head (new messages are not appended). */
  hasNewer: boolean;
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

  /** Messages I deleted for myself (this session's knowledge; the API leaves them out of history). */
  const hidden = new Set<string>();
  // Not state: requests in flight per chat, so concurrent callers share one.
  const inflight = new Map<string, Promise<void>>();
  const api = () => createApiClient(nuxtApp);
  const realtime = useRealtime();
  const online = (): boolean => realtime.status.value === 'online';

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
      windows.value[chatId] = { items: [], hasMore: true, hasNewer: false, loading: true, error: null };
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
        windows.value[chatId] = { items, hasMore, hasNewer: false, loading: false, error: null };
      } catch (err) {
        windows.value[chatId] = { items: [], hasMore: true, hasNewer: false, loading: false, error: toApiRequestError(err).code };
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

  /** Scrolling down in a window that does not reach the head: the page after the newest loaded message. */
  function loadNewer(chatId: string): Promise<void> {
    const w = windows.value[chatId];
    const last = w?.items.at(-1);
    if (!w || !w.hasNewer || w.loading || !last) return Promise.resolve();
    return once(`newer:${chatId}`, async () => {
      w.loading = true;
      try {
        const page = await api().get<HistoryView>(`/chats/${chatId}/messages`, { after: last.seq, limit: PAGE });
        const cur = windows.value[chatId];
        if (!cur) return;
        let items = cur.items;
        for (const m of page.items) items = upsertMessage(items, m);
        windows.value[chatId] = { ...cur, items, hasNewer: page.hasMore, loading: false };
      } catch (err) {
        const cur = windows.value[chatId];
        if (cur) cur.loading = false;
        throw err;
      }
    });
  }

  /**
   * Makes the message with this seq loaded: scrolls back a few pages when it is near, else opens
   * a window around it (which then loads newer pages as the reader scrolls down). False when the
   * chat has no such message.
   */
  async function loadAround(chatId: string, seq: number): Promise<boolean> {
    const w = windows.value[chatId];
    if (!w) return false;
    if (w.items.some((m) => m.seq === seq)) return true;
    const oldest = w.items[0];
    if (!oldest || (oldest.seq > seq && oldest.seq - seq <= PAGE * NEAR_PAGES)) {
      await loadUntil(chatId, seq);
      return windows.value[chatId]?.items.some((m) => m.seq === seq) ?? false;
    }
    return once(`around:${chatId}`, async () => {
      const [older, newer] = await Promise.all([
        fetchPage(chatId, seq + 1),
        api().get<HistoryView>(`/chats/${chatId}/messages`, { after: seq, limit: PAGE }),
      ]);
      let items = [...older.items, ...newer.items];
      const newest = items.at(-1)?.seq ?? 0;
      // Reaching the head: messages that arrived meanwhile are kept.
      if (!newer.hasMore) for (const m of windows.value[chatId]?.items ?? []) if (m.seq > newest) items = upsertMessage(items, m);
      windows.value[chatId] = { items, hasMore: older.hasMore, hasNewer: newer.hasMore, loading: false, error: null };
    }).then(() => windows.value[chatId]?.items.some((m) => m.seq === seq) ?? false);
  }

  /** Too far behind for the event log (or back from an older window): the newest page replaces the window. */
  async function reload(chatId: string): Promise<void> {
    if (!windows.value[chatId]) return;
    const page = await fetchPage(chatId);
    windows.value[chatId] = { items: page.items, hasMore: page.hasMore, hasNewer: false, loading: false, error: null };
  }

  function applyEvent(e: AnyChatEvent): void {
    if (isHidden(e)) return;
    const w = windows.value[e.chatId];
    if (!w || (w.items.length === 0 && w.loading)) {
      // Still loading its first page: keep new messages so they are merged in.
      if (w && e.type === 'message:created') w.items = upsertMessage(w.items, e.data);
      return;
    }
    // Not reaching the head: new messages come with the next page when the reader scrolls down.
    if (w.hasNewer && e.type === 'message:created') return;
    const next = applyEventToWindow(w.items, e);
    if (next !== w.items) w.items = next;
  }

  function isHidden(e: AnyChatEvent): boolean {
    if (e.type === 'reaction:changed' || e.type === 'message:listened') return hidden.has(e.data.messageId);
    return (e.type === 'message:created' || e.type === 'message:updated' || e.type === 'message:deleted') && hidden.has(e.data.id);
  }

  /** Deleted for me (here or on another device): out of the window, and kept out. */
  function forget(chatId: string, messageIds: string[]): void {
    for (const id of messageIds) hidden.add(id);
    const w = windows.value[chatId];
    if (w && w.items.some((m) => hidden.has(m.id))) w.items = w.items.filter((m) => !hidden.has(m.id));
  }

  /** Delete for me: gone from my history on all my devices; the others keep it. */
  async function hideForMe(chatId: string, messageId: string): Promise<void> {
    await viaSocketOrHttp<unknown>(
      online(),
      () => realtime.emitAck('message:hide', { chatId, messageId }),
      () => api().post<void>(`/chats/${chatId}/messages/${messageId}/hide`),
    );
    forget(chatId, [messageId]);
  }

  /** A message the API returned to me (send, edit, delete, react): shown without waiting for its event. */
  function upsert(m: MessageView): void {
    const w = windows.value[m.chatId];
    if (w && (!w.hasNewer || w.items.some((x) => x.id === m.id))) w.items = upsertMessage(w.items, m);
  }

  function unreadOf(chatId: string, meId: string, lastReadSeq: number): number | null {
    const w = windows.value[chatId];
    if (!w || w.loading || w.hasNewer) return null;
    return unreadFromWindow(w.items, w.hasMore, meId, lastReadSeq);
  }

  /** Edits to text as typed in the composer (with its marks). */
  async function edit(chatId: string, messageId: string, marked: string): Promise<MessageView> {
    const { text, entities } = parseMarks(marked);
    const m = await viaSocketOrHttp(
      online(),
      () => realtime.emitAck('message:edit', { chatId, messageId, text, entities }),
      () => api().patch<MessageView>(`/chats/${chatId}/messages/${messageId}`, { text, entities }),
    );
    upsert(m);
    return m;
  }

  async function remove(chatId: string, messageId: string): Promise<MessageView> {
    const m = await viaSocketOrHttp(
      online(),
      () => realtime.emitAck('message:delete', { chatId, messageId }),
      () => api().del<MessageView>(`/chats/${chatId}/messages/${messageId}`),
    );
    upsert(m);
    return m;
  }

  async function react(chatId: string, messageId: string, emoji: string, on: boolean): Promise<MessageView> {
    const path = `/chats/${chatId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;
    const m = await viaSocketOrHttp(
      online(),
      () => realtime.emitAck('reaction:set', { chatId, messageId, emoji, on }),
      () => (on ? api().put<MessageView>(path) : api().del<MessageView>(path)),
    );
    upsert(m);
    return m;
  }

  /** I played a voice message: the sender sees it listened (my first play of someone else's counts). */
  async function listen(chatId: string, messageId: string): Promise<void> {
    upsert(await viaSocketOrHttp(
      online(),
      () => realtime.emitAck('message:listen', { chatId, messageId }),
      () => api().post<MessageView>(`/chats/${chatId}/messages/${messageId}/listened`),
    ));
  }

  /** After a reconnect: what I deleted for myself on another device meanwhile leaves the windows held here. */
  function recheckHidden(): void {
    for (const [chatId, w] of Object.entries(windows.value)) {
      const from = w.items[0]?.seq;
      if (from === undefined) continue;
      void api().get<HiddenMessagesView>(`/chats/${chatId}/hidden`, { from })
        .then((v) => forget(chatId, v.messageIds))
        .catch(() => undefined);
    }
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

  return {
    windows, drafts, windowOf, ensureLoaded, loadOlder, loadNewer, loadUntil, loadAround, reload, applyEvent, upsert, unreadOf, drop, setDraft,
    edit, remove, react, listen, hideForMe, forget, recheckHidden, retryFailed,
  };
});
