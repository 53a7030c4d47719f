import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CHAT_LIMITS, type ReadView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, type ChatNotification } from '../common/events/notifications.js';
import { ChatLog } from '../chats/chat-log.js';
import { modifyReturning } from '../database/sql.js';
import { isUuid } from '../common/pagination/cursor.js';


/** Read pointers: they only move forward; the move is logged so "seen" marks converge too. */
@Injectable()
export class ReadService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly log: ChatLog,
    private readonly events: EventEmitter2,
  ) {}

  async markRead(userId: string, chatId: string, upTo: number): Promise<ReadView> {
    if (!isUuid(chatId)) throw DomainError.notFound();
    const result = await this.db.transaction(async (m) => {
      const [pointer] = (await m.query(
        `SELECT cm.last_read_seq, c.last_seq FROM chat_members cm JOIN chats c ON c.id = cm.chat_id
          WHERE cm.chat_id = $1 AND cm.user_id = $2`,
        [chatId, userId],
      )) as { last_read_seq: string; last_seq: string }[];
      if (!pointer) throw DomainError.notFound();
      const target = Math.min(upTo, Number(pointer.last_seq));
      if (target <= Number(pointer.last_read_seq)) return { lastReadSeq: Number(pointer.last_read_seq), event: null };
      const { seq } = await this.log.next(m, chatId, userId);
      const [row] = await modifyReturning<{ last_read_seq: string }>(
        m,
        'UPDATE chat_members SET last_read_seq = greatest(last_read_seq, $3) WHERE chat_id = $1 AND user_id = $2 RETURNING last_read_seq',
        [chatId, userId, target],
      );
      const lastReadSeq = Number(row.last_read_seq);
      return { lastReadSeq, event: await this.log.record(m, chatId, seq, 'chat:read', { userId, lastReadSeq }) };
    });
    if (result.event) this.events.emit(NOTIFY.chat, { event: result.event } satisfies ChatNotification);
    return { lastReadSeq: result.lastReadSeq, unread: await this.unread(userId, chatId, result.lastReadSeq) };
  }

  async unread(userId: string, chatId: string, after: number): Promise<number> {
    const [row] = (await this.db.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM messages WHERE chat_id = $1 AND seq > $2 AND sender_id <> $3 AND deleted_at IS NULL LIMIT ${CHAT_LIMITS.unreadCap}) t`,
      [chatId, after, userId],
    )) as { n: number }[];
    return row.n;
  }
}
