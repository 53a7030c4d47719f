import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CHAT_LIMITS, type ChatEvent, type ChatEventDataMap, type ChatEventType } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { modifyReturning } from '../database/sql.js';

export interface SeqGrant {
  seq: number;
  kind: 'direct' | 'group';
}

/**
 * The ordering primitive. `next` bumps the chat's sequence under its row lock, but only for a
 * member (one statement), so every change in a chat is serialised in commit order and an outsider
 * touches nothing. `record` writes the change to the chat's event log in the same transaction.
 */
@Injectable()
export class ChatLog {
  async next(m: EntityManager, chatId: string, userId: string | null, opts: { messageId?: string } = {}): Promise<SeqGrant> {
    const params: unknown[] = [chatId];
    let set = 'last_seq = c.last_seq + 1';
    if (opts.messageId) {
      params.push(opts.messageId);
      set += `, last_message_at = now(), last_message_id = $${params.length}`;
    }
    let member = '';
    if (userId) {
      params.push(userId);
      member = `AND EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = c.id AND cm.user_id = $${params.length})`;
    }
    const rows = await modifyReturning<{ last_seq: string; kind: 'direct' | 'group' }>(
      m,
      `UPDATE chats c SET ${set} WHERE c.id = $1 ${member} RETURNING c.last_seq, c.kind`,
      params,
    );
    if (rows.length === 0) throw DomainError.notFound();
    return { seq: Number(rows[0].last_seq), kind: rows[0].kind };
  }

  async record<T extends ChatEventType>(
    m: EntityManager,
    chatId: string,
    seq: number,
    type: T,
    data: ChatEventDataMap[T],
  ): Promise<ChatEvent<T>> {
    const [row] = (await m.query(
      'INSERT INTO chat_events (chat_id, seq, type, data) VALUES ($1, $2, $3, $4) RETURNING created_at',
      [chatId, seq, type, JSON.stringify(data)],
    )) as { created_at: Date }[];
    await this.prune(m, chatId, seq);
    return { chatId, seq, type, data, at: row.created_at.toISOString() };
  }

  /** Every 100th event drops what fell out of the catch-up window (older readers get `tooLong`). */
  async prune(m: EntityManager, chatId: string, seq: number): Promise<void> {
    if (seq % 100 === 0) {
      await m.query('DELETE FROM chat_events WHERE chat_id = $1 AND seq <= $2', [chatId, seq - CHAT_LIMITS.eventWindow]);
    }
  }

  /** `next` + `record` for changes whose data does not depend on the seq. */
  async append<T extends ChatEventType>(
    m: EntityManager,
    chatId: string,
    userId: string | null,
    type: T,
    data: ChatEventDataMap[T],
  ): Promise<ChatEvent<T>> {
    const { seq } = await this.next(m, chatId, userId);
    return this.record(m, chatId, seq, type, data);
  }
}
