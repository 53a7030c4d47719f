import { parseMarks, type MediaView, type MessageView, type ReplyQuote, type SendMessageRequest } from '@app/contracts';

/**
 * The offline outbox (PRODUCT B6): a message is shown at once and stays in the outbox, persisted,
 * until the server acknowledges it; every retry carries the same client id, so the server stores
 * it once. `queued` waits for its turn (or for the network), `sending` is in flight, `failed` was
 * refused for good (a 4xx other than 429) and waits for the user to retry or delete it.
 */
export type OutboxState = 'queued' | 'sending' | 'failed';

export interface OutboxItem {
  clientId: string;
  chatId: string;
  senderId: string;
  /** As typed, with its marks: turned into plain text and formatting ranges when sent. */
  text: string;
  replyTo: ReplyQuote | null;
  /** Uploaded media (POST /api/media) sent with the message, in order; kept through retries and reloads. */
  mediaIds: string[];
  /** Their views, so the pending message shows its photos and videos before it is stored. */
  media: MediaView[];
  createdAt: string;
  state: OutboxState;
  attempts: number;
  /** Epoch ms before which no retry is made. */
  notBefore: number;
  /** The error code of the last permanent failure. */
  error: string | null;
  /** The server held my draft of the chat when this was sent: the send ends it (SendMessageRequest.clearDraft). */
  clearDraft?: boolean;
}

export interface NewOutboxItem {
  clientId: string;
  chatId: string;
  senderId: string;
  text: string;
  replyTo: ReplyQuote | null;
  media?: readonly MediaView[];
  now: number;
  clearDraft?: boolean;
}

export function createOutboxItem(n: NewOutboxItem): OutboxItem {
  return {
    clientId: n.clientId,
    chatId: n.chatId,
    senderId: n.senderId,
    text: n.text,
    replyTo: n.replyTo,
    mediaIds: (n.media ?? []).map((m) => m.id),
    media: [...(n.media ?? [])],
    createdAt: new Date(n.now).toISOString(),
    state: 'queued',
    attempts: 0,
    notBefore: 0,
    error: null,
    ...(n.clearDraft ? { clearDraft: true } : {}),
  };
}

/** How a failed send is handled: `retry` later with the same client id, or `fail` for good. */
export function classifySendFailure(status: number, code?: string): 'retry' | 'fail' {
  if (status === 0 || status === 408 || status === 429 || status >= 500) return 'retry';
  if (code === 'RATE_LIMITED' || code === 'UNAVAILABLE' || code === 'INTERNAL') return 'retry';
  // 401 is handled by the API client (refresh, then sign-in): keep the message for later.
  if (status === 401) return 'retry';
  return 'fail';
}

/** Backoff before the next try: 1 s, 2 s, 4 s … up to 15 s, with jitter; `retryAfterMs` wins when longer. */
export function retryDelayMs(attempts: number, random = Math.random(), retryAfterMs = 0): number {
  const base = Math.min(15_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.max(retryAfterMs, Math.round(base * (0.75 + random / 2)));
}

export function markSending(item: OutboxItem): OutboxItem {
  return { ...item, state: 'sending', attempts: item.attempts + 1, error: null };
}

export function markRetry(item: OutboxItem, now: number, delayMs: number): OutboxItem {
  return { ...item, state: 'queued', notBefore: now + delayMs };
}

export function markFailed(item: OutboxItem, code: string): OutboxItem {
  return { ...item, state: 'failed', error: code };
}

/** The user asked to try a failed message again. */
export function markRequeued(item: OutboxItem): OutboxItem {
  return { ...item, state: 'queued', notBefore: 0, error: null };
}

/** Oldest first (the order they were written in). */
export function sortOutbox(items: readonly OutboxItem[]): OutboxItem[] {
  return [...items].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.clientId.localeCompare(b.clientId));
}

/**
 * After a reload nothing is in flight any more: `sending` becomes `queued` again. Records saved
 * by older versions get empty `mediaIds` / `media`.
 */
export function restoreItems(items: readonly OutboxItem[]): OutboxItem[] {
  return items.map((i) => {
    const item = { ...i, mediaIds: Array.isArray(i.mediaIds) ? i.mediaIds : [], media: Array.isArray(i.media) ? i.media : [] };
    return item.state === 'sending' ? { ...item, state: 'queued' as const, notBefore: 0 } : item;
  });
}

/** The body of POST /chats/:id/messages (and the socket's message:send) for an outbox item. */
export function sendRequestOf(item: OutboxItem): SendMessageRequest {
  const { text, entities } = parseMarks(item.text);
  return {
    clientId: item.clientId,
    text,
    ...(entities.length > 0 ? { entities } : {}),
    ...(item.replyTo ? { replyToId: item.replyTo.id } : {}),
    ...(item.mediaIds.length > 0 ? { mediaIds: [...item.mediaIds] } : {}),
    ...(item.clearDraft ? { clearDraft: true } : {}),
  };
}

/**
 * The next item to send: the oldest queued one whose chat has nothing older still pending (so a
 * chat's messages keep their order), and whose backoff has passed. Null when none is due.
 */
export function nextToSend(items: readonly OutboxItem[], now: number): OutboxItem | null {
  const blocked = new Set<string>();
  const sorted = sortOutbox(items);
  for (const item of sorted) {
    if (blocked.has(item.chatId)) continue;
    if (item.state === 'sending') {
      blocked.add(item.chatId);
      continue;
    }
    if (item.state === 'failed') continue;
    if (item.notBefore > now) {
      blocked.add(item.chatId);
      continue;
    }
    return item;
  }
  return null;
}

/** Epoch ms of the earliest scheduled retry, or null. */
export function earliestRetry(items: readonly OutboxItem[]): number | null {
  let min: number | null = null;
  for (const i of items) if (i.state === 'queued' && i.notBefore > 0 && (min === null || i.notBefore < min)) min = i.notBefore;
  return min;
}

/** Items still pending after the server's messages are known: one with a stored twin is done. */
export function withoutDelivered(items: readonly OutboxItem[], delivered: Iterable<Pick<MessageView, 'clientId' | 'senderId'>>): OutboxItem[] {
  const keys = new Set<string>();
  for (const m of delivered) keys.add(`${m.senderId}:${m.clientId}`);
  return items.filter((i) => !keys.has(`${i.senderId}:${i.clientId}`));
}
