import { statusOfCode, type MediaView, type MessageView, type ReplyQuote } from '@app/contracts';
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { createApiClient } from '~/composables/useApi';
import { useMessagesStore } from '~/stores/messages';
import { useChatsStore } from '~/stores/chats';
import { useGalleryStore } from '~/stores/gallery';
import { useSessionStore } from '~/stores/session';
import { ApiRequestError, toApiRequestError } from '~/utils/api-error';
import {
  classifySendFailure,
  createOutboxItem,
  earliestRetry,
  markFailed,
  markRequeued,
  markRetry,
  markSending,
  nextToSend,
  restoreItems,
  retryDelayMs,
  sendRequestOf,
  sortOutbox,
  type OutboxItem,
} from '~/utils/chat-outbox';

/**
 * The offline outbox (B6). A sent message is shown at once as pending and kept in IndexedDB (one
 * record per client id) until the server acknowledges it, so what is typed offline survives a
 * reload and is sent once when the connection returns: retries reuse the client id and the API
 * stores it once. When the broadcast of the stored message arrives before the ack, it is matched
 * by client id, so nothing shows twice.
 */
export const useOutboxStore = defineStore('outbox', () => {
  const nuxtApp = useNuxtApp();
  const session = useSessionStore();
  const realtime = useRealtime();
  const items = ref<OutboxItem[]>([]);
  const ready = ref(false);

  // Not state: this tab's IndexedDB handle, send loop and timer.
  let db: UseStore | null = null;
  let loop: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let started = false;
  /** Client ids already delivered (ack or broadcast), so a late write does not bring them back. */
  const done = new Set<string>();

  function store(): UseStore | null {
    if (import.meta.server || typeof indexedDB === 'undefined') return null;
    db ??= createStore('messenger-outbox', 'items');
    return db;
  }

  function plain(item: OutboxItem): OutboxItem {
    return JSON.parse(JSON.stringify(item)) as OutboxItem;
  }

  async function persist(item: OutboxItem): Promise<void> {
    const s = store();
    if (!s || done.has(item.clientId)) return;
    await set(item.clientId, plain(item), s).catch(() => undefined);
  }

  async function forget(clientId: string): Promise<void> {
    const s = store();
    if (s) await del(clientId, s).catch(() => undefined);
  }

  function replace(item: OutboxItem): void {
    const i = items.value.findIndex((x) => x.clientId === item.clientId);
    if (i >= 0) items.value[i] = item;
    void persist(item);
  }

  function remove(clientId: string): void {
    items.value = items.value.filter((x) => x.clientId !== clientId);
    void forget(clientId);
  }

  /** Loads what an earlier page left unsent (client only), then starts sending. */
  async function start(): Promise<void> {
    if (started || import.meta.server) return;
    started = true;
    const s = store();
    const me = session.me?.id;
    if (s && me) {
      try {
        const saved = (await entries<string, OutboxItem>(s)).map(([, v]) => v).filter((v) => v.senderId === me);
        const known = new Set(items.value.map((i) => i.clientId));
        items.value = sortOutbox([...items.value, ...restoreItems(saved.filter((v) => !known.has(v.clientId)))]);
      } catch {
        // Private mode without IndexedDB: the outbox lives in memory only.
      }
    }
    ready.value = true;
    window.addEventListener('online', () => flushNow());
    realtime.onResync(() => flushNow());
    flush();
  }

  /** Queues a message and starts sending it. */
  function enqueue(chatId: string, text: string, replyTo: ReplyQuote | null, media: readonly MediaView[] = [], clearDraft = false): OutboxItem {
    // Strictly increasing times keep the order of messages sent within one millisecond.
    const latest = items.value.reduce((max, i) => Math.max(max, Date.parse(i.createdAt)), 0);
    const now = Math.max(Date.now(), latest + 1);
    const item = createOutboxItem({ clientId: crypto.randomUUID(), chatId, senderId: session.me?.id ?? '', text, replyTo, media, now, clearDraft });
    items.value = [...items.value, item];
    void persist(item);
    flush();
    return item;
  }

  function forChat(chatId: string): OutboxItem[] {
    return sortOutbox(items.value.filter((i) => i.chatId === chatId));
  }

  /** The stored message came in (ack or broadcast): the pending copy goes. */
  function delivered(m: MessageView): void {
    done.add(m.clientId);
    if (items.value.some((i) => i.clientId === m.clientId)) remove(m.clientId);
  }

  function retry(clientId: string): void {
    const item = items.value.find((i) => i.clientId === clientId);
    if (item) replace(markRequeued(item));
    flush();
  }

  function discard(clientId: string): void {
    remove(clientId);
  }

  /** The connection is back: retry now instead of waiting out the backoff. */
  function flushNow(): void {
    for (const i of items.value) if (i.state === 'queued' && i.notBefore > 0) replace({ ...i, notBefore: 0 });
    flush();
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const at = earliestRetry(items.value);
    if (at === null) return;
    timer = setTimeout(() => {
      timer = null;
      flush();
    }, Math.max(0, at - Date.now()));
  }

  async function sendOnce(item: OutboxItem): Promise<MessageView> {
    const req = sendRequestOf(item);
    if (realtime.status.value === 'online') {
      const reply = await realtime.emitAck('message:send', { chatId: item.chatId, ...req }).catch(() => null);
      if (reply?.ok) return reply.data;
      if (reply && !reply.ok) throw new ApiRequestError(statusOfCode(reply.error.code), reply.error);
    }
    return createApiClient(nuxtApp).post<MessageView>(`/chats/${item.chatId}/messages`, req);
  }

  /** One send loop per tab: the oldest due item first, one chat's messages in order. */
  function flush(): void {
    if (loop || import.meta.server || !ready.value) return;
    loop = (async () => {
      for (let next = nextToSend(items.value, Date.now()); next; next = nextToSend(items.value, Date.now())) {
        const sending = markSending(next);
        replace(sending);
        try {
          const stored = await sendOnce(sending);
          useMessagesStore().upsert(stored);
          if (stored.attachments.length > 0) useGalleryStore().invalidate(stored.chatId);
          delivered(stored);
        } catch (raw) {
          const err = toApiRequestError(raw);
          const current = items.value.find((i) => i.clientId === sending.clientId);
          if (!current) continue;
          if (classifySendFailure(err.status, err.code) === 'retry') {
            replace(markRetry(current, Date.now(), retryDelayMs(current.attempts, Math.random(), err.retryAfterMs ?? 0)));
          } else {
            replace(markFailed(current, err.code));
            if (err.status === 404) useChatsStore().removeChat(current.chatId);
          }
        }
      }
    })().finally(() => {
      loop = null;
      schedule();
    });
  }

  return { items, ready, start, enqueue, forChat, delivered, retry, discard, flushNow };
});
