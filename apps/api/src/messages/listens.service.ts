import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MessageView } from '@app/contracts';
import { ChatLogRepository } from '../chats/chat-log.repository.js';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, type ChatNotification } from '../common/events/notifications.js';
import { isUuid } from '../common/pagination/cursor.js';
import { ListensRepository } from './listens.repository.js';
import { MessageViewsRepository } from './message-views.repository.js';

/** Rolls back a listen that changes nothing (played before, or the sender's own), so no seq is spent. */
class Unchanged extends Error {
  constructor(readonly view: MessageView) {
    super('unchanged');
  }
}

/**
 * Listened marks of voice messages: the first time a member other than the sender plays one, it
 * is recorded and the chat hears 'message:listened' (the sender's "played" mark, my other devices'
 * unlistened dot). Playing again, or one's own message, changes nothing.
 */
@Injectable()
export class ListensService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: MessageViewsRepository,
    private readonly listens: ListensRepository,
    private readonly log: ChatLogRepository,
    private readonly events: EventEmitter2,
  ) {}

  async listened(userId: string, chatId: string, messageId: string): Promise<MessageView> {
    if (!isUuid(chatId) || !isUuid(messageId)) throw DomainError.notFound();
    const event = await this.db.transaction(async (m) => {
      const { seq } = await this.log.next(m, chatId, userId);
      const current = await this.views.inChat(chatId, messageId, m);
      if (!current) throw DomainError.notFound();
      if (current.deletedAt) throw new DomainError('CONFLICT', 'This message was deleted');
      if (!(await this.listens.hasVoice(m, messageId))) throw new DomainError('CONFLICT', 'This message has no voice message');
      if (current.senderId === userId || !(await this.listens.add(m, messageId, userId))) throw new Unchanged(current);
      return this.log.record(m, chatId, seq, 'message:listened', { messageId, userId });
    }).catch((e: unknown) => {
      if (e instanceof Unchanged) return e.view;
      throw e;
    });
    if ('id' in event) return event;
    this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    return (await this.views.byId(messageId))!;
  }
}
