import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { ChatEvent, ForwardedView, ForwardMessagesRequest, MessageView } from '@app/contracts';
import { ChatLogRepository } from '../chats/chat-log.repository.js';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, type ChatNotification } from '../common/events/notifications.js';
import { isUuid } from '../common/pagination/cursor.js';
import { RateLimitService, type RateRule } from '../common/rate-limit/rate-limit.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { violates } from '../database/sql.js';
import { ForwardsRepository, type ForwardSource } from './forwards.repository.js';
import { MESSAGE_ATTACHMENTS, type MessageAttachments } from './message-attachments.js';
import { MessageViewsRepository } from './message-views.repository.js';
import { MessagesService, sendRuleOf } from './messages.service.js';

const notForwardable = (): DomainError =>
  DomainError.validation('messageIds', 'not_found', 'Some of these messages are not in that chat, were deleted, or cannot be forwarded');

/**
 * Forwarding: messages of a chat the sender is in become new messages of theirs in another (or
 * the same) chat, in one transaction, each through the chat's event log like any send. The name
 * of the first sender travels only where their privacy.forwards lets every member see it.
 */
@Injectable()
export class ForwardsService {
  private readonly sendRule: RateRule;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly forwards: ForwardsRepository,
    private readonly views: MessageViewsRepository,
    private readonly log: ChatLogRepository,
    private readonly messages: MessagesService,
    private readonly limits: RateLimitService,
    private readonly events: EventEmitter2,
    @Inject(MESSAGE_ATTACHMENTS) private readonly attachments: MessageAttachments,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.sendRule = sendRuleOf(config);
  }

  async forward(senderId: string, chatId: string, req: ForwardMessagesRequest): Promise<ForwardedView> {
    if (!isUuid(chatId)) throw DomainError.notFound();
    if (!isUuid(req.fromChatId) || !req.messageIds.every(isUuid)) throw notForwardable();
    const clientIds = req.messageIds.map((_, i) => `${req.clientId}-${i}`);
    const stored = await this.views.bySenderClientIds(senderId, clientIds);
    if (stored.length > 0) return this.retried(stored, chatId, clientIds.length);
    await this.limits.consume(this.sendRule, senderId);
    await this.messages.requireDialogOpen(chatId, senderId);
    let events: ChatEvent<'message:created'>[];
    try {
      events = await this.db.transaction(async (m) => {
        const sources = await this.forwards.sources(m, senderId, req.fromChatId, req.messageIds);
        if (sources.length !== req.messageIds.length) throw notForwardable();
        const shown = await this.namesShown(m, senderId, chatId, sources);
        const out: ChatEvent<'message:created'>[] = [];
        for (const [i, src] of sources.entries()) {
          const id = randomUUID();
          const { seq } = await this.log.next(m, chatId, senderId, { messageId: id });
          const originId = src.originId && shown.has(src.originId) ? src.originId : null;
          await this.forwards.insert(m, { id, chatId, seq, senderId, clientId: clientIds[i], text: src.text, entities: src.entities, originId, originSentAt: src.originSentAt });
          await this.attachments.share(m, src.id, { ownerId: senderId, chatId, messageId: id, seq });
          out.push(await this.log.record(m, chatId, seq, 'message:created', (await this.views.byId(id, m))!));
        }
        return out;
      });
    } catch (e) {
      // A concurrent retry with the same client id committed first: answer with what it stored.
      if (violates(e, 'messages_sender_client_uq')) return this.retried(await this.views.bySenderClientIds(senderId, clientIds), chatId, clientIds.length);
      throw e;
    }
    for (const event of events) this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    return { items: events.map((e) => e.data) };
  }

  /** The first senders whose name the forward may carry: the forwarder's own always. */
  private async namesShown(m: EntityManager, senderId: string, chatId: string, sources: ForwardSource[]): Promise<Set<string>> {
    const others = [...new Set(sources.map((s) => s.originId).filter((id): id is string => id !== null && id !== senderId))];
    const shown = await this.forwards.namesShown(m, chatId, others);
    shown.add(senderId);
    return shown;
  }

  private retried(stored: MessageView[], chatId: string, count: number): ForwardedView {
    if (stored.length !== count || stored.some((s) => s.chatId !== chatId)) {
      throw new DomainError('CONFLICT', 'clientId was already used for other messages');
    }
    return { items: stored };
  }
}
