import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ChatEvent } from '@app/contracts';
import { ChatAccessService } from '../../chats/chat-access.service.js';
import { ChatLogRepository } from '../../chats/chat-log.repository.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { NOTIFY, type ChatNotification } from '../../common/events/notifications.js';
import { isUuid } from '../../common/pagination/cursor.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { toPreviewView } from '../message-views.mapper.js';
import { firstLink, normalizeUrl } from './html-meta.js';
import { LinkFetcher } from './link-fetcher.js';
import { LinkPreviewsRepository, type CachedRow } from './link-previews.repository.js';

/** Fetches at once per instance; more wait in a bounded queue, past which new links get no card. */
const CONCURRENCY = 4;
const QUEUE_MAX = 500;
const FRESH_MS = 24 * 3600_000;
const FAILURE_FRESH_MS = 10 * 60_000;

interface Job {
  chatId: string;
  messageId: string;
  url: string;
}

/**
 * Link cards, off the send path: a committed message with a link queues a job here (after the
 * send was acknowledged and broadcast); the card, fetched or cached, is attached to the message and
 * announced as 'message:preview' through the chat's event log, so catch-up replays it.
 */
@Injectable()
export class LinkPreviewsService {
  private readonly logger = new Logger(LinkPreviewsService.name);
  private readonly queue: Job[] = [];
  private running = 0;
  /** Fetches in flight by URL key: messages with the same link wait for one fetch. */
  private readonly inFlight = new Map<string, Promise<CachedRow>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: LinkPreviewsRepository,
    private readonly fetcher: LinkFetcher,
    private readonly log: ChatLogRepository,
    private readonly access: ChatAccessService,
    private readonly events: EventEmitter2,
  ) {}

  @OnEvent(NOTIFY.chat)
  onChatEvent(n: ChatNotification): void {
    if (!this.config.linkPreviews.enabled || n.event.type !== 'message:created') return;
    const message = (n.event as ChatEvent<'message:created'>).data;
    const url = firstLink(message.text);
    if (!url) return;
    if (this.queue.length >= QUEUE_MAX) {
      this.logger.warn('link preview queue full: a link gets no card');
      return;
    }
    this.queue.push({ chatId: message.chatId, messageId: message.id, url });
    this.pump();
  }

  /** The sender takes the card off their message (also before it arrived); 404 for what they may not see. */
  async remove(userId: string, chatId: string, messageId: string): Promise<void> {
    if (!isUuid(chatId) || !isUuid(messageId)) throw DomainError.notFound();
    await this.access.requireMember(userId, chatId);
    const message = await this.repo.message(chatId, messageId);
    if (!message) throw DomainError.notFound();
    if (message.sender_id !== userId) throw new DomainError('FORBIDDEN', 'Only the sender can remove a link preview');
    const event = await this.db.transaction(async (m) => {
      if (!(await this.repo.remove(m, messageId))) return null;
      const { seq } = await this.log.next(m, chatId, null);
      return this.log.record(m, chatId, seq, 'message:preview', { messageId, preview: null });
    });
    if (event) this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
  }

  image(id: string): Promise<Buffer | null> {
    return isUuid(id) ? this.repo.image(id) : Promise.resolve(null);
  }

  private pump(): void {
    while (this.running < CONCURRENCY && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running += 1;
      void this.run(job)
        .catch((e: unknown) => this.logger.warn(`link preview failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
  }

  private async run(job: Job): Promise<void> {
    const card = await this.cardFor(job.url);
    if (!card.ok) return;
    const event = await this.db.transaction(async (m) => {
      if (!(await this.repo.attach(m, job.messageId, card.id))) return null;
      const { seq } = await this.log.next(m, job.chatId, null);
      return this.log.record(m, job.chatId, seq, 'message:preview', { messageId: job.messageId, preview: toPreviewView(card) });
    });
    if (event) this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
  }

  private async cardFor(url: string): Promise<CachedRow> {
    const key = normalizeUrl(url);
    const cached = await this.repo.cached(key);
    if (cached && Date.now() - cached.fetched_at.getTime() < (cached.ok ? FRESH_MS : FAILURE_FRESH_MS)) return cached;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const fetching = this.fetcher.card(url).then(
      (card) => this.repo.store(key, url, card),
      (e: unknown) => {
        this.logger.debug(`no link preview for a link: ${e instanceof Error ? e.message : String(e)}`);
        return this.repo.store(key, url, null);
      },
    );
    this.inFlight.set(key, fetching);
    try {
      return await fetching;
    } finally {
      this.inFlight.delete(key);
    }
  }
}
