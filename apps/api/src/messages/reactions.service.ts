import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MessageView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, type ChatNotification } from '../common/events/notifications.js';
import { ChatLogRepository } from '../chats/chat-log.repository.js';
import { MessageViewsRepository } from './message-views.repository.js';
import { isUuid } from '../common/pagination/cursor.js';
import { MessagesRepository } from './messages.repository.js';

/** One emoji (with modifiers, ZWJ sequences, flags or a keycap), nothing else. */
const EMOJI = /^(?:\p{RI}\p{RI}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}\uFE0F?(?:\p{EMod})?(?:\u200D\p{Extended_Pictographic}\uFE0F?(?:\p{EMod})?)*)$/u;

/** Aborts a transaction that would change nothing, so no seq is spent on it. */
class Unchanged extends Error {
  constructor(readonly view: MessageView) {
    super('unchanged');
  }
}

export function isEmoji(value: string): boolean {
  return value.length <= 32 && EMOJI.test(value);
}

/** Reactions: each member toggles an emoji on a message; everyone sees the new totals live. */
@Injectable()
export class ReactionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: MessageViewsRepository,
    private readonly messages: MessagesRepository,
    private readonly log: ChatLogRepository,
    private readonly events: EventEmitter2,
  ) {}

  async set(userId: string, chatId: string, messageId: string, emoji: string, on: boolean): Promise<MessageView> {
    if (!isUuid(chatId) || !isUuid(messageId)) throw DomainError.notFound();
    if (!isEmoji(emoji)) throw DomainError.validation('emoji', 'invalid', 'Pick one emoji');
    const event = await this.db.transaction(async (m) => {
      const { seq } = await this.log.next(m, chatId, userId);
      const current = await this.views.inChat(chatId, messageId, m);
      if (!current) throw DomainError.notFound();
      if (current.deletedAt) throw new DomainError('CONFLICT', 'This message was deleted');
      if (current.service) throw new DomainError('FORBIDDEN', 'Service messages cannot be reacted to');
      if (!(await this.messages.setReaction(m, messageId, userId, emoji, on))) throw new Unchanged(current);
      const view = (await this.views.byId(messageId, m))!;
      return this.log.record(m, chatId, seq, 'reaction:changed', { messageId, reactions: view.reactions });
    }).catch((e: unknown) => {
      if (e instanceof Unchanged) return e.view;
      throw e;
    });
    if ('id' in event) return event;
    this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    return (await this.views.byId(messageId))!;
  }
}
