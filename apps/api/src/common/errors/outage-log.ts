import { Logger } from '@nestjs/common';

/** Answers once the dependency serves again; throws while it does not. */
export type Probe = () => Promise<void>;

const PROBE_EVERY_MS = 1000;

/**
 * A dependency outage, logged once per transition: one error line when the first request fails
 * ("database unavailable", with the reason), one line when it serves again, with how long it was
 * out and how many requests were refused meanwhile. While it is out, a probe checks every second.
 */
export class OutageLog {
  private readonly logger: Logger;
  private since: number | null = null;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private probe: Probe | null = null;
  private probing = false;

  constructor(private readonly dependency: string) {
    this.logger = new Logger(`Outage:${dependency}`);
  }

  get down(): boolean {
    return this.since !== null;
  }

  /** The check that ends an outage (the database module registers a `SELECT 1`). */
  watch(probe: Probe | null): void {
    this.probe = probe;
    if (!probe) this.stopProbing();
    else if (this.down) this.startProbing();
  }

  /** A request refused because the dependency could not serve it. */
  failed(reason: string): void {
    this.failures += 1;
    if (this.since !== null) return;
    this.since = Date.now();
    this.logger.error({ dependency: this.dependency, reason }, `${this.dependency} unavailable: answering 503 until it serves again`);
    this.startProbing();
  }

  /** The dependency answered. */
  served(): void {
    if (this.since === null) return;
    const downMs = Date.now() - this.since;
    this.logger.warn({ dependency: this.dependency, downMs, failures: this.failures }, `${this.dependency} available again after ${downMs} ms; ${this.failures} requests were refused meanwhile`);
    this.since = null;
    this.failures = 0;
    this.stopProbing();
  }

  private startProbing(): void {
    if (this.timer || !this.probe) return;
    this.timer = setInterval(() => {
      const probe = this.probe;
      if (!probe || this.probing) return;
      this.probing = true;
      probe().then(() => this.served(), () => undefined).finally(() => {
        this.probing = false;
      });
    }, PROBE_EVERY_MS);
    this.timer.unref();
  }

  private stopProbing(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** The database's outage log, shared by the HTTP filter, the socket acks and the health check. */
export const databaseOutage = new OutageLog('database');
