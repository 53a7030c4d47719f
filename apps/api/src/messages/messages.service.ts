import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CHAT_LIMITS, type ChatEvent, type EditMessageRequest, type MessageEntity, type MessageView, type SendMessageRequest } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { DRAFT_SENT, type DraftSentEvent } from '../common/events/drafts.js';
import { NOTIFY, type ChatNotification } from '../common/events/notifications.js';
import { RateLimitService, type RateRule } from '../common/rate-limit/rate-limit.service.js';
import { ChatLogRepository } from '../chats/chat-log.repository.js';
import { ChatsRepository } from '../chats/chats.repository.js';
import { cleanFormatted } from '../chats/chat-text.js';
import { MessageViewsRepository } from './message-views.repository.js';
import { UserViewsService } from '../friendships/user-views.service.js';
import { MESSAGE_ATTACHMENTS, type MessageAttachments } from './message-attachments.js';
import { MessageWriter } from './message-writer.js';
import { MessagesRepository } from './messages.repository.js';
import { isUuid } from '../common/pagination/cursor.js';
import { violates } from '../database/sql.js';
import { databaseUnavailableReason } from '../common/errors/dependency-errors.js';

/** Cleaned text and the formatting over it. */
interface Formatted {
  text: string;
  entities: MessageEntity[];
}

export interface Sent {
  message: MessageView;
  /** False when this was a retry of an already stored message. */
  created: boolean;
}

const MENTION = /(?:^|[^\p{L}\p{N}_.])@([\p{L}\p{N}_.]{3,32})/gu;

/** The distinct @names in a text, folded like usernames. */
const mentionNames = (text: string): string[] =>
  text.includes('@') ? [...new Set([...text.matchAll(MENTION)].map((x) => x[1].normalize('NFKC').toLocaleLowerCase('und')))] : [];

/** The unique (sender, client id) index refused the row: this send was already stored. */
const isClientIdTaken = (e: unknown): boolean => violates(e, 'messages_sender_client_uq');

/** The per-sender allowance of sends (a forward takes one too). */
export const sendRuleOf = (config: AppConfig): RateRule => ({ name: 'send', points: config.rate.sendPerMinute, durationSeconds: 60 });

/**
 * Sending, editing and deleting. A send is idempotent per (sender, client id); the message takes
 * the chat's next seq in the same transaction; acks and broadcasts happen only after COMMIT.
 */
@Injectable()
export class MessagesService {
  private readonly sendRule: RateRule;
  private readonly editWindowMs: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: MessageViewsRepository,
    private readonly writer: MessageWriter,
    private readonly messages: MessagesRepository,
    private readonly log: ChatLogRepository,
    private readonly chats: ChatsRepository,
    private readonly people: UserViewsService,
    private readonly limits: RateLimitService,
    private readonly events: EventEmitter2,
    @Inject(MESSAGE_ATTACHMENTS) private readonly attachments: MessageAttachments,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.sendRule = sendRuleOf(config);
    this.editWindowMs = config.messages.editWindowHours * 3_600_000;
  }

  async send(senderId: string, chatId: string, req: SendMessageRequest): Promise<Sent> {
    if (!isUuid(chatId)) throw DomainError.notFound();
    const { text, entities } = cleanFormatted(req.text, req.entities);
    const mediaIds = req.mediaIds ?? [];
    if (!text && mediaIds.length === 0) throw DomainError.validation('text', 'empty', 'Message must not be empty');
    if (text.length > CHAT_LIMITS.textMax) throw DomainError.validation('text', 'too_long', 'Message is too long');
    this.attachments.checkCount(mediaIds);
    try {
      await this.limits.consume(this.sendRule, senderId);
    } catch (e) {
      // A retry of a stored message is answered even when the sender has run out of sends.
      const stored = await this.views.bySenderClientId(senderId, req.clientId);
      if (stored) return this.retried(stored, chatId);
      throw e;
    }
    const sent = (mediaIds.length === 0 ? await this.sendPlain(senderId, chatId, { text, entities }, req) : null) ?? (await this.sendInTransaction(senderId, chatId, { text, entities }, mediaIds, req));
    if (req.clearDraft) this.events.emit(DRAFT_SENT, { userId: senderId, chatId } satisfies DraftSentEvent);
    return sent;
  }

  /**
   * The common case (text, maybe a quote) in one statement. Null when it cannot tell what went
   * wrong (not a member, blocked, a bad quote, a retry from a chat left since): the transactional
   * path then answers precisely.
   */
  private async sendPlain(senderId: string, chatId: string, { text, entities }: Formatted, req: SendMessageRequest): Promise<Sent | null> {
    let replyTo: MessageView['replyTo'] = null;
    if (req.replyToId) {
      if (!isUuid(req.replyToId)) return null;
      replyTo = await this.views.quote(chatId, req.replyToId, senderId);
      if (!replyTo) return null;
    }
    const view: MessageView = {
      id: randomUUID(), chatId, seq: 0, senderId, clientId: req.clientId, text, entities, service: null, replyTo, forwardedFrom: null,
      mentions: [], reactions: [], attachments: [], preview: null, listenedBy: [], createdAt: new Date().toISOString(), editedAt: null, deletedAt: null,
    };
    let stored: MessageView | null;
    try {
      stored = await this.writer.sendPlain({ senderId, view, mentionNames: mentionNames(text) });
    } catch (e) {
      if ((e instanceof DomainError && e.code === 'UNAVAILABLE') || databaseUnavailableReason(e)) {
        // Not stored: the retry must not cost the sender a second point.
        await this.limits.refund(this.sendRule, senderId);
        throw e;
      }
      if (!isClientIdTaken(e)) throw e;
      await this.limits.refund(this.sendRule, senderId);
      return this.retried((await this.views.bySenderClientId(senderId, req.clientId))!, chatId);
    }
    if (!stored) return null;
    const event: ChatEvent<'message:created'> = { chatId, seq: stored.seq, type: 'message:created', data: stored, at: stored.createdAt };
    this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    return { message: stored, created: true };
  }

  /** Sends with attachments, and the precise answer for anything the one-statement path refused. */
  private async sendInTransaction(senderId: string, chatId: string, { text, entities }: Formatted, mediaIds: string[], req: SendMessageRequest): Promise<Sent> {
    const stored = await this.views.bySenderClientId(senderId, req.clientId);
    if (stored) return this.retried(stored, chatId);
    // Checked before the transaction: nothing may wait on another connection while the chat row is locked.
    await this.requireDialogOpen(chatId, senderId);
    let event;
    try {
      event = await this.db.transaction(async (m) => {
        const id = randomUUID();
        const { seq, kind } = await this.log.next(m, chatId, senderId, { messageId: id });
        const replyTo = req.replyToId ? await this.requireInChat(m, chatId, req.replyToId) : null;
        const mentions = kind === 'group' ? await this.mentions(m, chatId, text) : [];
        await this.messages.insert(m, { id, chatId, seq, senderId, clientId: req.clientId, text, entities, replyToId: replyTo, mentions });
        await this.attachments.attach(m, mediaIds, { ownerId: senderId, chatId, messageId: id, seq });
        const view = (await this.views.byId(id, m))!;
        return this.log.record(m, chatId, seq, 'message:created', view);
      });
    } catch (e) {
      // A concurrent retry with the same client id committed first: answer with that one.
      if (isClientIdTaken(e)) return this.retried((await this.views.bySenderClientId(senderId, req.clientId))!, chatId);
      throw e;
    }
    this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    return { message: event.data, created: true };
  }

  async edit(userId: string, chatId: string, messageId: string, req: EditMessageRequest): Promise<MessageView> {
    const { text, entities } = cleanFormatted(req.text, req.entities);
    if (!text) throw DomainError.validation('text', 'empty', 'Message must not be empty');
    if (text.length > CHAT_LIMITS.textMax) throw DomainError.validation('text', 'too_long', 'Message is too long');
    return this.change(userId, chatId, messageId, 'message:updated', async (m, kind, current) => {
      if (Date.now() - Date.parse(current.createdAt) > this.editWindowMs) {
        const hours = this.editWindowMs / 3_600_000;
        throw new DomainError('FORBIDDEN', `Messages can be edited for ${hours} hour${hours === 1 ? '' : 's'} after they are sent`);
      }
      const mentions = kind === 'group' ? await this.mentions(m, chatId, text) : [];
      await this.messages.edit(m, messageId, { text, entities, mentions });
    });
  }

  /** Delete for everyone: the row stays as a tombstone so history and replies keep their place. */
  async remove(userId: string, chatId: string, messageId: string): Promise<MessageView> {
    return this.change(userId, chatId, messageId, 'message:deleted', (m) => this.messages.markDeleted(m, messageId));
  }

  private async change(
    userId: string,
    chatId: string,
    messageId: string,
    type: 'message:updated' | 'message:deleted',
    apply: (m: EntityManager, kind: 'direct' | 'group', current: MessageView) => Promise<void>,
  ): Promise<MessageView> {
    if (!isUuid(chatId) || !isUuid(messageId)) throw DomainError.notFound();
    const event = await this.db.transaction(async (m) => {
      const { seq, kind } = await this.log.next(m, chatId, userId);
      const current = await this.views.inChat(chatId, messageId, m);
      if (!current) throw DomainError.notFound();
      if (current.deletedAt) throw new DomainError('CONFLICT', 'This message was deleted');
      if (current.service) throw new DomainError('FORBIDDEN', 'Service messages cannot be changed');
      if (current.senderId !== userId) throw new DomainError('FORBIDDEN', 'You can only change your own messages');
      await apply(m, kind, current);
      return this.log.record(m, chatId, seq, type, (await this.views.byId(messageId, m))!);
    });
    this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    return event.data;
  }

  private retried(stored: MessageView, chatId: string): Sent {
    // The client id belongs to a message of another chat: a client bug, not a retry.
    if (stored.chatId !== chatId) throw new DomainError('CONFLICT', 'clientId was already used for another message');
    return { message: stored, created: false };
  }

  /** A dialog with a block either way takes no messages (sends and forwards alike). */
  async requireDialogOpen(chatId: string, senderId: string): Promise<void> {
    const peer = await this.chats.dialogPeer(chatId, senderId);
    if (peer && (await this.people.blockedEitherWay(senderId, peer))) {
      throw new DomainError('FORBIDDEN', 'You cannot message this person');
    }
  }

  private async requireInChat(m: EntityManager, chatId: string, messageId: string): Promise<string> {
    if (!isUuid(messageId)) throw DomainError.validation('replyToId', 'not_found', 'The quoted message is not in this chat');
    if (!(await this.messages.existsInChat(m, chatId, messageId))) {
      throw DomainError.validation('replyToId', 'not_found', 'The quoted message is not in this chat');
    }
    return messageId;
  }

  /** @username mentions of members of the chat. */
  private async mentions(m: EntityManager, chatId: string, text: string): Promise<string[]> {
    const names = mentionNames(text);
    if (names.length === 0) return [];
    return this.messages.memberIdsNamed(m, chatId, names);
  }
}
