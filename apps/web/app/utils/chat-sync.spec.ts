import { describe, expect, it, jest } from '@jest/globals';
import type { AnyChatEvent, ChatEventsView } from '@app/contracts';
import { ChatSequencer } from './chat-sync';

const CHAT = 'c1';
const ev = (seq: number): AnyChatEvent => ({ chatId: CHAT, seq, type: 'chat:renamed', data: { title: `t${seq}` }, at: new Date(0).toISOString() });
const range = (from: number, to: number): AnyChatEvent[] => Array.from({ length: to - from + 1 }, (_, i) => ev(from + i));

/** A server log with events 1..head; `fetchAfter` answers like GET /events. */
function serverLog(head: number, opts: { window?: number; page?: number } = {}) {
  const log = { head };
  const fetchAfter = jest.fn(async (after: number): Promise<ChatEventsView> => {
    await Promise.resolve();
    if (opts.window !== undefined && log.head - after > opts.window) return { events: [], tooLong: true, lastSeq: log.head };
    const events = range(after + 1, log.head).slice(0, opts.page ?? 500);
    return { events, tooLong: false, lastSeq: log.head };
  });
  return { log, fetchAfter };
}

function make(lastSeq: number, fetchAfter: (after: number) => Promise<ChatEventsView>, reset = async () => 0) {
  const applied: number[] = [];
  const seq = new ChatSequencer(lastSeq, { fetchAfter, apply: (e) => applied.push(e.seq), reset });
  return { seq, applied };
}

describe('ChatSequencer', () => {
  it('applies the next seq, drops duplicates and old seqs', () => {
    const { fetchAfter } = serverLog(3);
    const { seq, applied } = make(0, fetchAfter);
    expect(seq.offer(ev(1))).toBe('applied');
    expect(seq.offer(ev(1))).toBe('duplicate');
    expect(seq.offer(ev(2))).toBe('applied');
    expect(seq.offer(ev(1))).toBe('duplicate');
    expect(applied).toEqual([1, 2]);
    expect(fetchAfter).not.toHaveBeenCalled();
  });

  it('fills a gap from the log, then applies what was parked, each seq once and in order', async () => {
    const { fetchAfter } = serverLog(6);
    const { seq, applied } = make(2, fetchAfter);
    expect(seq.offer(ev(5))).toBe('queued');
    expect(seq.offer(ev(6))).toBe('queued');
    expect(seq.offer(ev(3))).toBe('queued');
    await seq.idle();
    expect(applied).toEqual([3, 4, 5, 6]);
    expect(seq.lastSeq).toBe(6);
    expect(fetchAfter).toHaveBeenCalledTimes(1);
  });

  it('pages through a long catch-up', async () => {
    const { fetchAfter } = serverLog(25, { page: 10 });
    const { seq, applied } = make(0, fetchAfter);
    await seq.catchUp();
    expect(applied).toEqual(range(1, 25).map((e) => e.seq));
    expect(fetchAfter).toHaveBeenCalledTimes(3);
  });

  it('keeps events that arrive during a catch-up and applies them after it', async () => {
    const server = serverLog(4);
    const { seq, applied } = make(0, server.fetchAfter);
    const running = seq.catchUp();
    // Committed while the catch-up is in flight: 5 and 6 arrive live, 6 first.
    server.log.head = 6;
    expect(seq.offer(ev(6))).toBe('queued');
    expect(seq.offer(ev(5))).toBe('queued');
    await running;
    await seq.catchUp();
    expect(applied).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('resets through a full refetch when the log says tooLong', async () => {
    const { fetchAfter } = serverLog(5000, { window: 1000 });
    const reset = jest.fn(async () => 5000);
    const { seq, applied } = make(10, fetchAfter, reset);
    seq.offer(ev(4999));
    await seq.catchUp();
    expect(reset).toHaveBeenCalledTimes(1);
    expect(seq.lastSeq).toBe(5000);
    // The parked 4999 is older than the new head: dropped, not applied.
    expect(applied).toEqual([]);
    expect(seq.offer(ev(5001))).toBe('applied');
  });

  it('reports a failed catch-up and recovers on the next trigger', async () => {
    let fail = true;
    const server = serverLog(3);
    const onError = jest.fn();
    const applied: number[] = [];
    const seq = new ChatSequencer(0, {
      fetchAfter: (after) => (fail ? Promise.reject(new Error('offline')) : server.fetchAfter(after)),
      apply: (e) => applied.push(e.seq),
      reset: async () => 0,
      onError,
    });
    seq.offer(ev(3));
    await seq.catchUp();
    expect(onError).toHaveBeenCalled();
    expect(applied).toEqual([]);
    fail = false;
    await seq.catchUp();
    expect(applied).toEqual([1, 2, 3]);
  });

  it('converges under shuffled, duplicated live delivery', async () => {
    const server = serverLog(0);
    const { seq, applied } = make(0, server.fetchAfter);
    const order = [3, 1, 1, 2, 5, 4, 4, 8, 6, 7, 7, 9, 10, 2];
    for (const s of order) {
      server.log.head = Math.max(server.log.head, s);
      seq.offer(ev(s));
    }
    await seq.catchUp();
    expect(applied).toEqual(range(1, 10).map((e) => e.seq));
  });
});
