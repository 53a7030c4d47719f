import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import webpush from 'web-push';
import { APP_CONFIG, vapidKeys, type AppConfig, type PushConfig } from '../config/app-config.js';
import { PushRepository, type ClaimedJob } from './push.repository.js';

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 30 * 60_000;
const TTL_SECONDS = 24 * 3600;
const METRIC_EVERY_MS = 60_000;

export type PushOutcome = 'sent' | 'gone' | 'retry' | 'dropped';

/** What to do after a push service's answer (or none): RFC 8030 §5, §7.3. */
export function outcomeOf(status: number | null): PushOutcome {
  if (status !== null && status >= 200 && status < 300) return 'sent';
  if (status === 404 || status === 410) return 'gone';
  if (status === null || status === 408 || status === 429 || status >= 500) return 'retry';
  return 'dropped';
}

/**
 * Exponential backoff from 5 s, capped at 30 min; a push service's Retry-After (seconds) wins when
 * longer. A first try that got no answer at all (a kept-alive connection the service had just
 * closed, a reset) is tried again after 1 s.
 */
export function backoffMs(attempts: number, retryAfter?: string, answered = true): number {
  if (!answered && attempts === 1) return 1_000;
  const exp = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(attempts - 1, 0), BACKOFF_MAX_MS);
  const asked = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
  return Math.min(Math.max(exp, asked), BACKOFF_MAX_MS);
}

/**
 * Delivers queued pushes to the push services, off every request path: a poller on each instance
 * takes due jobs (SKIP LOCKED, leased), sends at most `concurrency` at once, each with a timeout,
 * and retries per subscription with exponential backoff. 404/410 ends the subscription.
 */
@Injectable()
export class PushSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PushSender.name);
  private readonly push: PushConfig;
  private readonly agent: Agent;
  private readonly vapid: { subject: string; publicKey: string; privateKey: string };
  private inFlight = 0;
  private claiming = false;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private metricTimer: NodeJS.Timeout | null = null;
  private sentCount = 0;

  constructor(
    private readonly repo: PushRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.push = config.push;
    this.vapid = { subject: config.push.subject, ...vapidKeys(config) };
    const ca = config.push.caFile ? readFileSync(config.push.caFile, 'utf8') : undefined;
    // An own agent: bounded sockets, an extra CA when configured (never a weaker check), closed on shutdown.
    this.agent = new Agent({ keepAlive: true, maxSockets: config.push.concurrency, ...(ca ? { ca } : {}) });
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.push.pollMs);
    this.timer.unref();
    this.metricTimer = setInterval(() => void this.logMetric(), METRIC_EVERY_MS);
    this.metricTimer.unref();
    this.kick();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.metricTimer) clearInterval(this.metricTimer);
    this.agent.destroy();
  }

  /** Pushes in flight on this instance (the queue depth is `PushRepository.pending`). */
  get active(): number {
    return this.inFlight;
  }

  /** Looks for due jobs now (called by the poller and when this instance queued new ones). */
  kick(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    void this.fill();
  }

  private async fill(): Promise<void> {
    this.claiming = true;
    try {
      do {
        this.again = false;
        const room = this.push.concurrency - this.inFlight;
        if (room <= 0 || this.stopped) break;
        const jobs = await this.repo.claim(room, Math.ceil((this.push.timeoutMs * 2) / 1000) + 5);
        for (const job of jobs) void this.deliver(job);
        if (jobs.length === room) this.again = true;
      } while (this.again);
    } catch (err) {
      if (!this.stopped) this.logger.warn({ err }, 'could not take pushes from the queue');
    } finally {
      this.claiming = false;
    }
  }

  private async deliver(job: ClaimedJob): Promise<void> {
    this.inFlight += 1;
    let status: number | null = null;
    let retryAfter: string | undefined;
    try {
      const res = await webpush.sendNotification(
        { endpoint: job.endpoint, keys: { p256dh: job.p256dh, auth: job.auth } },
        JSON.stringify(job.payload),
        {
          vapidDetails: this.vapid,
          TTL: TTL_SECONDS,
          urgency: job.payload.kind === 'message' ? 'normal' : 'high',
          timeout: this.push.timeoutMs,
          agent: this.agent,
          contentEncoding: 'aes128gcm',
        },
      );
      status = res.statusCode;
    } catch (err) {
      if (err instanceof webpush.WebPushError) {
        status = err.statusCode;
        retryAfter = err.headers?.['retry-after'];
      }
    } finally {
      this.inFlight -= 1;
    }
    await this.settle(job, status, retryAfter).catch((err: unknown) => {
      if (!this.stopped) this.logger.warn({ err }, 'could not record a push outcome');
    });
    this.kick();
  }

  private async settle(job: ClaimedJob, status: number | null, retryAfter: string | undefined): Promise<void> {
    const outcome = outcomeOf(status);
    if (outcome === 'sent') {
      this.sentCount += 1;
      return this.repo.done(job.id);
    }
    if (outcome === 'gone') {
      this.logger.debug(`push subscription ${job.subscription_id} is gone (${status}); deleted`);
      return this.repo.deleteSubscription(job.subscription_id);
    }
    if (outcome === 'dropped' || job.attempts >= this.push.maxAttempts) {
      this.logger.warn(`push ${job.id} dropped after ${job.attempts} attempts (last answer ${status ?? 'none'})`);
      return this.repo.done(job.id);
    }
    return this.repo.retryAt(job.id, job.subscription_id, new Date(Date.now() + backoffMs(job.attempts, retryAfter, status !== null)));
  }

  private async logMetric(): Promise<void> {
    try {
      const pending = await this.repo.pending();
      if (pending > 0 || this.sentCount > 0) this.logger.log(`push queue: ${pending} pending, ${this.inFlight} in flight, ${this.sentCount} sent in the last minute`);
      this.sentCount = 0;
    } catch {
      // the database is down: its own health check says so
    }
  }
}
