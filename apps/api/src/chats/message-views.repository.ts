import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { MessageView } from '@app/contracts';
import { toMessageView, toQuote, type MessageRow, type QuoteRow } from './message-views.mapper.js';

const SELECT = `
  SELECT m.id, m.chat_id, m.seq, m.sender_id, m.client_id, m.text, m.mentions, m.created_at, m.edited_at, m.deleted_at,
         r.id AS reply_id, r.seq AS reply_seq, r.sender_id AS reply_sender_id, ru.display_name AS reply_sender_name,
         CASE WHEN r.deleted_at IS NULL THEN r.text END AS reply_text,
         (SELECT json_agg(json_build_object('emoji', x.emoji, 'userIds', x.ids) ORDER BY x.first)
            FROM (SELECT emoji, array_agg(user_id ORDER BY created_at) AS ids, min(created_at) AS first
                    FROM reactions WHERE message_id = m.id GROUP BY emoji) x) AS reactions,
         (SELECT coalesce(json_agg(json_build_object('id', md.id, 'kind', md.kind, 'mime', md.mime, 'size', md.size::float8,
                   'width', md.width, 'height', md.height, 'durationMs', md.duration_ms, 'placeholder', md.placeholder,
                   'renditions', md.files) ORDER BY md.position), '[]'::json)
            FROM media md WHERE md.message_id = m.id) AS attachments
    FROM messages m
    LEFT JOIN messages r ON r.id = m.reply_to_id
    LEFT JOIN users ru ON ru.id = r.sender_id`;

/** The read side of messages (shared with the messages module): keyset history on (chat_id, seq), views with quote and reactions. */
@Injectable()
export class MessageViewsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private async many(m: EntityManager, where: string, params: unknown[], order = 'ASC', limit?: number): Promise<MessageView[]> {
    const rows = (await m.query(
      `${SELECT} WHERE ${where} ORDER BY m.seq ${order}${limit ? ` LIMIT ${Number(limit)}` : ''}`,
      params,
    )) as MessageRow[];
    return rows.map(toMessageView);
  }

  async byId(id: string, m: EntityManager = this.db.manager): Promise<MessageView | null> {
    return (await this.many(m, 'm.id = $1', [id]))[0] ?? null;
  }

  async inChat(chatId: string, id: string, m: EntityManager = this.db.manager): Promise<MessageView | null> {
    return (await this.many(m, 'm.chat_id = $1 AND m.id = $2', [chatId, id]))[0] ?? null;
  }

  /** How a reply quotes `id`, if it is a message of the chat and `memberId` is a member of it. */
  async quote(chatId: string, id: string, memberId: string): Promise<MessageView['replyTo']> {
    const [row] = (await this.db.query(
      `SELECT r.id, r.seq, r.sender_id, u.display_name AS sender_name, CASE WHEN r.deleted_at IS NULL THEN r.text END AS text
         FROM messages r JOIN users u ON u.id = r.sender_id
        WHERE r.id = $1 AND r.chat_id = $2 AND EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = $2 AND cm.user_id = $3)`,
      [id, chatId, memberId],
    )) as QuoteRow[];
    return row ? toQuote(row) : null;
  }

  async bySenderClientId(senderId: string, clientId: string): Promise<MessageView | null> {
    return (await this.many(this.db.manager, 'm.sender_id = $1 AND m.client_id = $2', [senderId, clientId]))[0] ?? null;
  }

  /** Up to `limit` messages below `before` (newest first from the query, returned oldest first). */
  async before(chatId: string, before: number, limit: number): Promise<MessageView[]> {
    const page = await this.many(this.db.manager, 'm.chat_id = $1 AND m.seq < $2', [chatId, before], 'DESC', limit);
    return page.reverse();
  }

  async after(chatId: string, after: number, limit: number): Promise<MessageView[]> {
    return this.many(this.db.manager, 'm.chat_id = $1 AND m.seq > $2', [chatId, after], 'ASC', limit);
  }

  async latestIn(chatIds: string[]): Promise<Map<string, MessageView>> {
    if (chatIds.length === 0) return new Map();
    const views = await this.many(this.db.manager, 'm.id IN (SELECT last_message_id FROM chats WHERE id = ANY($1::uuid[]))', [chatIds]);
    return new Map(views.map((v) => [v.chatId, v]));
  }
}
