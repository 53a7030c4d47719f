import { backoffMs, outcomeOf } from './push-sender.js';

describe('push outcomes', () => {
  it('keeps 2xx, ends the subscription on 404/410, retries timeouts, 408, 429 and 5xx, drops other refusals', () => {
    expect([201, 202, 204].map(outcomeOf)).toEqual(['sent', 'sent', 'sent']);
    expect([404, 410].map(outcomeOf)).toEqual(['gone', 'gone']);
    expect([null, 408, 429, 500, 503].map(outcomeOf)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry']);
    expect([400, 401, 403, 413].map(outcomeOf)).toEqual(['dropped', 'dropped', 'dropped', 'dropped']);
  });

  it('backs off exponentially from 5 s, honours a longer Retry-After and caps at 30 min', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(1, '60')).toBe(60_000);
    expect(backoffMs(3, '1')).toBe(20_000);
    expect(backoffMs(1, 'soon')).toBe(5_000);
    expect(backoffMs(30)).toBe(30 * 60_000);
    expect(backoffMs(1, '999999')).toBe(30 * 60_000);
    // No answer at all on the first try (a reset connection): again soon, then the usual backoff.
    expect([1, 2].map((n) => backoffMs(n, undefined, false))).toEqual([1_000, 10_000]);
  });
});
