import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CHAT_LIMITS } from '@app/contracts';
import { modifyReturning } from '../database/sql.js';

/** Read pointers (`chat_members.last_read_seq`) and the unread counts they imply. */
@Injectable()
export class ReadsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The member's pointer and the chat's last seq; null for outsiders and missing chats. */
  async pointer(m: EntityManager, chatId: string, userId: string): Promise<{ lastReadSeq: number; lastSeq: number } | null> {
    const [row] = (await m.query(
      `SELECT cm.last_read_seq, c.last_seq FROM chat_members cm JOIN chats c ON c.id = cm.chat_id
        WHERE cm.chat_id = $1 AND cm.user_id = $2`,
      [chatId, userId],
    )) as { last_read_seq: string; last_seq: string }[];
    return row ? { lastReadSeq: Number(row.last_read_seq), lastSeq: Number(row.last_seq) } : null;
  }

  /** Moves the pointer forward only; returns where it is now. */
  async advance(m: EntityManager, chatId: string, userId: string, target: number): Promise<number> {
    const [row] = await modifyReturning<{ last_read_seq: string }>(
      m,
      'UPDATE chat_members SET last_read_seq = greatest(last_read_seq, $3) WHERE chat_id = $1 AND user_id = $2 RETURNING last_read_seq',
      [chatId, userId, target],
    );
    return Number(row.last_read_seq);
  }

  /** Others' messages after `after`, counted up to the unread cap. */
  /** Unread messages from others after `after`, and those of them that mention me (both capped). */
  async unread(userId: string, chatId: string, after: number): Promise<{ unread: number; unreadMentions: number }> {
    const [row] = (await this.db.query(
      `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM messages WHERE chat_id = $1 AND seq > $2 AND sender_id <> $3 AND deleted_at IS NULL
                 LIMIT ${CHAT_LIMITS.unreadCap}) t) AS n,
              (SELECT count(*)::int FROM (SELECT 1 FROM messages WHERE chat_id = $1 AND seq > $2 AND $3 = ANY(mentions) AND deleted_at IS NULL
                 LIMIT ${CHAT_LIMITS.unreadCap}) t) AS mentions`,
      [chatId, after, userId],
    )) as { n: number; mentions: number }[];
    return { unread: row.n, unreadMentions: row.mentions };
  }
}
