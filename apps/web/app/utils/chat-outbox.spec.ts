import { describe, expect, it } from '@jest/globals';
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
  withoutDelivered,
  type OutboxItem,
} from './chat-outbox';
import type { MediaView } from '@app/contracts';

const view = (id: string): MediaView => ({
  id, kind: 'image', mime: 'image/png', name: 'p.png', size: 1, width: 1, height: 1, durationMs: null, waveform: null, placeholder: '',
  urls: { original: `/api/media/${id}/original.png`, thumb: `/api/media/${id}/thumb.webp`, poster: null, sizes: [] },
});

const item = (clientId: string, chatId: string, now: number): OutboxItem =>
  createOutboxItem({ clientId, chatId, senderId: 'me', text: clientId, replyTo: null, now });

describe('outbox state machine', () => {
  it('sends the oldest due item, one at a time per chat, keeping each chat in order', () => {
    const a1 = item('a1', 'A', 1);
    const a2 = item('a2', 'A', 2);
    const b1 = item('b1', 'B', 3);
    expect(nextToSend([a2, b1, a1], 10)?.clientId).toBe('a1');
    expect(nextToSend([markSending(a1), a2, b1], 10)?.clientId).toBe('b1');
    // A backoff on A's first message holds A's second back too.
    expect(nextToSend([markRetry(markSending(a1), 10, 1000), a2], 500)).toBeNull();
    expect(nextToSend([markRetry(markSending(a1), 10, 1000), a2], 1010)?.clientId).toBe('a1');
  });

  it('retries the same item (same client id) on network errors, 5xx and 429; fails for good on other 4xx', () => {
    expect(classifySendFailure(0)).toBe('retry');
    expect(classifySendFailure(503)).toBe('retry');
    expect(classifySendFailure(429, 'RATE_LIMITED')).toBe('retry');
    expect(classifySendFailure(400, 'VALIDATION_FAILED')).toBe('fail');
    expect(classifySendFailure(403, 'FORBIDDEN')).toBe('fail');
    expect(classifySendFailure(404, 'NOT_FOUND')).toBe('fail');
    const sent = markSending(item('x', 'A', 1));
    expect(sent.attempts).toBe(1);
    expect(markRetry(sent, 100, 50)).toMatchObject({ clientId: 'x', state: 'queued', notBefore: 150 });
  });

  it('skips failed items, and a retry by the user puts them back in line', () => {
    const f = markFailed(markSending(item('f', 'A', 1)), 'FORBIDDEN');
    const later = item('g', 'A', 2);
    expect(nextToSend([f, later], 10)?.clientId).toBe('g');
    expect(nextToSend([markRequeued(f)], 10)?.clientId).toBe('f');
  });

  it('backs off exponentially up to 15 s, honouring Retry-After', () => {
    expect(retryDelayMs(1, 0.5)).toBe(1000);
    expect(retryDelayMs(3, 0.5)).toBe(4000);
    expect(retryDelayMs(20, 0.5)).toBe(15_000);
    expect(retryDelayMs(1, 0.5, 30_000)).toBe(30_000);
    expect(earliestRetry([markRetry(item('a', 'A', 1), 0, 500), markRetry(item('b', 'B', 1), 0, 200)])).toBe(200);
  });

  it('keeps the order they were written in, whatever order storage returns', () => {
    expect(sortOutbox([item('b', 'A', 2), item('a', 'A', 1)]).map((i) => i.clientId)).toEqual(['a', 'b']);
  });

  it('after a reload, in-flight items are queued again; delivered ones are dropped by client id', () => {
    const restored = restoreItems([markSending(item('a', 'A', 1)), item('b', 'A', 2)]);
    expect(restored.map((i) => i.state)).toEqual(['queued', 'queued']);
    expect(withoutDelivered(restored, [{ clientId: 'a', senderId: 'me' }, { clientId: 'b', senderId: 'other' }]).map((i) => i.clientId)).toEqual(['b']);
  });

  it('carries the media (ids and views) through retries, failures and a reload, into the request', () => {
    const media = [view('p1'), view('v1')];
    const m = createOutboxItem({ clientId: 'm', chatId: 'A', senderId: 'me', text: '', replyTo: null, media, now: 1 });
    expect(m.mediaIds).toEqual(['p1', 'v1']);
    const retried = markRequeued(markFailed(markRetry(markSending(m), 10, 100), 'INTERNAL'));
    expect(retried.mediaIds).toEqual(['p1', 'v1']);
    // What IndexedDB gives back is a structured clone of a plain object.
    const [restored] = restoreItems([JSON.parse(JSON.stringify(markSending(retried))) as OutboxItem]);
    expect(restored).toMatchObject({ state: 'queued', mediaIds: ['p1', 'v1'], media });
    expect(sendRequestOf(restored!)).toEqual({ clientId: 'm', text: '', mediaIds: ['p1', 'v1'] });
    // Text-only items (and records saved before attachments existed) send no mediaIds.
    const { mediaIds: _drop, media: _views, ...old } = item('t', 'A', 2);
    const [legacy] = restoreItems([old as OutboxItem]);
    expect(legacy).toMatchObject({ mediaIds: [], media: [] });
    expect(sendRequestOf(legacy!)).toEqual({ clientId: 't', text: 't' });
  });
});
