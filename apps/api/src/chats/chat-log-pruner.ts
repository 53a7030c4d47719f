import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CHAT_LIMITS } from '@app/contracts';
import { ChatLogRepository } from './chat-log.repository.js';

const EVERY_MS = 60_000;
/** Rows deleted per statement, and statements per run: a run stays short however much is due. */
const BATCH = 5000;
const MAX_BATCHES = 20;

/**
 * Trims each chat's event log to its catch-up window in the background, once a minute, in bounded
 * steps. Nothing prunes on the send path: work between COMMIT and the broadcast would delay that
 * message behind the ones sent after it. A log may run a little past the window meanwhile;
 * catch-up past the window answers `tooLong` either way.
 */
@Injectable()
export class ChatLogPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChatLogPruner.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly log: ChatLogRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run().catch((e: unknown) => this.logger.debug({ err: e }, 'event log pruning skipped')), EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One bounded run (one at a time); how many events went. */
  run(): Promise<number> {
    this.running ??= (async () => {
      let total = 0;
      for (let i = 0; i < MAX_BATCHES; i += 1) {
        const deleted = await this.log.pruneOutOfWindow(CHAT_LIMITS.eventWindow, BATCH);
        total += deleted;
        if (deleted < BATCH) break;
      }
      return total;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
