import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ReadView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, type ChatNotification } from '../common/events/notifications.js';
import { ChatLogRepository } from '../chats/chat-log.repository.js';
import { isUuid } from '../common/pagination/cursor.js';
import { ReadsRepository } from './reads.repository.js';

/** Read pointers: they only move forward; the move is logged so "seen" marks converge too. */
@Injectable()
export class ReadService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly reads: ReadsRepository,
    private readonly log: ChatLogRepository,
    private readonly events: EventEmitter2,
  ) {}

  async markRead(userId: string, chatId: string, upTo: number): Promise<ReadView> {
    if (!isUuid(chatId)) throw DomainError.notFound();
    const result = await this.db.transaction(async (m) => {
      const pointer = await this.reads.pointer(m, chatId, userId);
      if (!pointer) throw DomainError.notFound();
      const target = Math.min(upTo, pointer.lastSeq);
      if (target <= pointer.lastReadSeq) return { lastReadSeq: pointer.lastReadSeq, event: null };
      const { seq } = await this.log.next(m, chatId, userId);
      const lastReadSeq = await this.reads.advance(m, chatId, userId, target);
      return { lastReadSeq, event: await this.log.record(m, chatId, seq, 'chat:read', { userId, lastReadSeq }) };
    });
    if (result.event) this.events.emit(NOTIFY.chat, { event: result.event } satisfies ChatNotification);
    return { lastReadSeq: result.lastReadSeq, ...(await this.unread(userId, chatId, result.lastReadSeq)) };
  }

  unread(userId: string, chatId: string, after: number): Promise<{ unread: number; unreadMentions: number }> {
    return this.reads.unread(userId, chatId, after);
  }
}
