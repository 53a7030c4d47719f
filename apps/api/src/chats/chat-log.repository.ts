import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type AnyChatEvent, type ChatEvent, type ChatEventDataMap, type ChatEventType } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { modifyReturning } from '../database/sql.js';

/** One row of the event log. */
export interface LoggedEvent {
  seq: string;
  type: AnyChatEvent['type'];
  data: AnyChatEvent['data'];
  created_at: Date;
}

export interface SeqGrant {
  seq: number;
  kind: 'direct' | 'group';
}

/**
 * The ordering primitive (the log is trimmed to its window in the background: ChatLogPruner). `next` bumps the chat's sequence under its row lock, but only for a
 * member (one statement), so every change in a chat is serialised in commit order and an outsider
 * touches nothing. `record` writes the change to the chat's event log in the same transaction;
 * `after` reads the log back for catch-up.
 */
@Injectable()
export class ChatLogRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
    return { chatId, seq, type, data, at: row.created_at.toISOString() };
  }

  /**
   * Deletes up to `limit` events that fell out of every chat's catch-up window (more than `window`
   * behind the chat's last seq); how many went. Readers that far behind get `tooLong` anyway. Run
   * by ChatLogPruner in the background, never on the send path.
   */
  async pruneOutOfWindow(window: number, limit: number): Promise<number> {
    const rows = await modifyReturning<{ seq: string }>(
      this.db.manager,
      `DELETE FROM chat_events e
        USING (SELECT old.chat_id, old.seq FROM chats c
                 JOIN chat_events old ON old.chat_id = c.id AND old.seq <= c.last_seq - $1
                LIMIT $2) gone
        WHERE e.chat_id = gone.chat_id AND e.seq = gone.seq
       RETURNING e.seq`,
      [window, limit],
    );
    return rows.length;
  }

  /** Up to `limit` logged events after `after`, in seq order. */
  async after(chatId: string, after: number, limit: number): Promise<LoggedEvent[]> {
    return (await this.db.query(
      'SELECT seq, type, data, created_at FROM chat_events WHERE chat_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [chatId, after, limit],
    )) as LoggedEvent[];
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
