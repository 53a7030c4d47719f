import { DomainError } from '../../common/errors/domain-error.js';
import { JobPool } from './job-pool.js';

const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('JobPool', () => {
  it('runs at most `workers` jobs at once and the rest in order', async () => {
    const pool = new JobPool(2, 10, 5000);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const job = (n: number) => async (): Promise<number> => {
      running += 1;
      peak = Math.max(peak, running);
      await later(20);
      running -= 1;
      order.push(n);
      return n;
    };
    await expect(Promise.all([1, 2, 3, 4, 5].map((n) => pool.run(job(n))))).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order.slice(0, 2).sort()).toEqual([1, 2]);
    expect([pool.busy, pool.queued]).toEqual([0, 0]);
  });

  it('answers 503 with a retry hint when the queue is full, without losing the queued jobs', async () => {
    const pool = new JobPool(1, 1, 5000);
    const first = pool.run(() => later(30).then(() => 'a'));
    const second = pool.run(() => Promise.resolve('b'));
    const third = pool.run(() => Promise.resolve('c'));
    await expect(third).rejects.toMatchObject({ code: 'UNAVAILABLE', retryAfterMs: 2000 });
    await expect(Promise.all([first, second])).resolves.toEqual(['a', 'b']);
  });

  it('fails a job past its timeout (413), aborts its signal, and frees the slot only when it stops', async () => {
    const pool = new JobPool(1, 5, 30);
    let aborted = false;
    const slow = pool.run((signal) => new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => {
        aborted = true;
        setTimeout(resolve, 20);
      });
    }));
    await expect(slow).rejects.toEqual(new DomainError('PAYLOAD_TOO_LARGE', 'The file took too long to process'));
    expect(aborted).toBe(true);
    expect(pool.busy).toBe(1);
    await expect(pool.run(() => Promise.resolve('next'))).resolves.toBe('next');
    expect(pool.busy).toBe(0);
  });

  it('passes a job\'s own error through and keeps going', async () => {
    const pool = new JobPool(1, 5, 1000);
    await expect(pool.run(() => Promise.reject(new Error('decoder said no')))).rejects.toThrow('decoder said no');
    await expect(pool.run(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
