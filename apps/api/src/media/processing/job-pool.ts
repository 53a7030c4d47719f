import { DomainError } from '../../common/errors/domain-error.js';

export type Job<T> = (signal: AbortSignal) => Promise<T>;

/**
 * Bounds decoding: at most `workers` jobs run at once (sharp on libuv's pool, ffmpeg as child
 * processes), at most `queueMax` wait, and each gets `timeoutMs` before its signal aborts (ffmpeg
 * is killed, sharp's own timeout fires) and it fails. A full queue answers 503 with Retry-After, so
 * a burst of uploads slows uploads down but never takes the threads that sign-ins, file reads and
 * other users' requests need.
 */
export class JobPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly workers: number,
    private readonly queueMax: number,
    private readonly timeoutMs: number,
  ) {}

  get busy(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(job: Job<T>): Promise<T> {
    await this.slot();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new DomainError('PAYLOAD_TOO_LARGE', 'The file took too long to process'));
      }, this.timeoutMs);
    });
    const work = job(controller.signal);
    try {
      return await Promise.race([work, timedOut]);
    } finally {
      clearTimeout(timer);
      // The slot frees only when the job has really stopped, so aborted work never piles up.
      void work.catch(() => undefined).finally(() => this.release());
    }
  }

  private slot(): Promise<void> {
    if (this.running < this.workers) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.queueMax) {
      return Promise.reject(new DomainError('UNAVAILABLE', 'Media processing is busy, try again shortly', undefined, 2000));
    }
    return new Promise((start) => this.waiting.push(start));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
