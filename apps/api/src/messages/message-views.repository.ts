import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { MessageView } from '@app/contracts';
import type { TimeKey } from '../common/pagination/cursor.js';
import { toMessageView, toQuote, type MessageRow, type QuoteRow } from './message-views.mapper.js';

const SELECT = `
  SELECT m.id, m.chat_id, m.seq, m.sender_id, m.client_id, m.text, m.entities, m.service, m.mentions, m.created_at, m.edited_at, m.deleted_at,
         r.id AS reply_id, r.seq AS reply_seq, r.sender_id AS reply_sender_id, ru.display_name AS reply_sender_name,
         CASE WHEN r.deleted_at IS NULL THEN r.text END AS reply_text, r.entities AS reply_entities,
         m.fwd_sent_at, m.fwd_user_id, fu.display_name AS fwd_name,
         (SELECT json_agg(json_build_object('emoji', x.emoji, 'userIds', x.ids) ORDER BY x.first)
            FROM (SELECT emoji, array_agg(user_id ORDER BY created_at) AS ids, min(created_at) AS first
                    FROM reactions WHERE message_id = m.id GROUP BY emoji) x) AS reactions,
         (SELECT coalesce(json_agg(json_build_object('id', md.id, 'kind', md.kind, 'mime', md.mime, 'size', md.size::float8,
                   'width', md.width, 'height', md.height, 'durationMs', md.duration_ms, 'waveform', md.waveform, 'placeholder', md.placeholder,
                   'name', md.name, 'renditions', md.files) ORDER BY md.position), '[]'::json)
            FROM media md WHERE md.message_id = m.id) AS attachments,
         ARRAY(SELECT l.user_id FROM message_listens l WHERE l.message_id = m.id ORDER BY l.listened_at, l.user_id) AS listened_by,
         (SELECT json_build_object('id', lp.id, 'url', lp.url, 'title', lp.title, 'description', lp.description, 'siteName', lp.site_name,
                   'width', lp.image_width, 'height', lp.image_height)
            FROM message_previews mp JOIN link_previews lp ON lp.id = mp.preview_id
           WHERE mp.message_id = m.id AND NOT mp.removed AND lp.ok) AS preview
    FROM messages m
    LEFT JOIN messages r ON r.id = m.reply_to_id
    LEFT JOIN users ru ON ru.id = r.sender_id
    LEFT JOIN users fu ON fu.id = m.fwd_user_id`;

/** Leaves out what the viewer ($3) deleted for themselves. */
const NOT_HIDDEN = 'NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = $3::uuid AND h.message_id = m.id)';

export interface SearchRow {
  id: string;
  created_at: Date;
  kind: 'direct' | 'group';
  title: string | null;
}

/** The read side of messages (the chat list gets last messages through chats' LastMessages port): keyset history on (chat_id, seq), views with quote and reactions. */
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

  /** Views of messages of one chat by id, in no particular order. */
  async manyInChat(chatId: string, ids: string[]): Promise<MessageView[]> {
    if (ids.length === 0) return [];
    return this.many(this.db.manager, 'm.chat_id = $1 AND m.id = ANY($2::uuid[])', [chatId, ids]);
  }

  async inChat(chatId: string, id: string, m: EntityManager = this.db.manager): Promise<MessageView | null> {
    return (await this.many(m, 'm.chat_id = $1 AND m.id = $2', [chatId, id]))[0] ?? null;
  }

  /** How a reply quotes `id`, if it is a message of the chat and `memberId` is a member of it. */
  async quote(chatId: string, id: string, memberId: string): Promise<MessageView['replyTo']> {
    const [row] = (await this.db.query(
      `SELECT r.id, r.seq, r.sender_id, u.display_name AS sender_name, CASE WHEN r.deleted_at IS NULL THEN r.text END AS text, r.entities
         FROM messages r JOIN users u ON u.id = r.sender_id
        WHERE r.id = $1 AND r.chat_id = $2 AND r.service IS NULL AND EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = $2 AND cm.user_id = $3)`,
      [id, chatId, memberId],
    )) as QuoteRow[];
    return row ? toQuote(row) : null;
  }

  async bySenderClientId(senderId: string, clientId: string): Promise<MessageView | null> {
    return (await this.many(this.db.manager, 'm.sender_id = $1 AND m.client_id = $2', [senderId, clientId]))[0] ?? null;
  }

  /** The sender's messages with these client ids, in their chat's order. */
  async bySenderClientIds(senderId: string, clientIds: string[], m: EntityManager = this.db.manager): Promise<MessageView[]> {
    return this.many(m, 'm.sender_id = $1 AND m.client_id = ANY($2::text[])', [senderId, clientIds]);
  }

  /** Up to `limit` messages below `before` (newest first from the query, returned oldest first), without those `viewerId` hid. */
  async before(chatId: string, before: number, limit: number, viewerId: string | null = null): Promise<MessageView[]> {
    const page = await this.many(this.db.manager, `m.chat_id = $1 AND m.seq < $2 AND ${NOT_HIDDEN}`, [chatId, before, viewerId], 'DESC', limit);
    return page.reverse();
  }

  async after(chatId: string, after: number, limit: number, viewerId: string | null = null): Promise<MessageView[]> {
    return this.many(this.db.manager, `m.chat_id = $1 AND m.seq > $2 AND ${NOT_HIDDEN}`, [chatId, after, viewerId], 'ASC', limit);
  }

  /**
   * Full-text search in the user's chats (or in one): matching messages newest first, keyset on
   * (created_at, id) below `below`, with the chat's title as the user sees it; what they deleted for
   * themselves is left out.
   */
  async search(userId: string, tsquery: string, chatId: string | null, below: TimeKey, limit: number): Promise<SearchRow[]> {
    return (await this.db.query(
      `SELECT m.id, m.created_at, c.kind,
              coalesce(cm.custom_name, c.title, (SELECT u.display_name FROM chat_members p JOIN users u ON u.id = p.user_id
                                                  WHERE p.chat_id = c.id AND p.user_id <> $1 LIMIT 1)) AS title
         FROM chat_members cm
         JOIN messages m ON m.chat_id = cm.chat_id
         JOIN chats c ON c.id = cm.chat_id
        WHERE cm.user_id = $1 AND ($2::uuid IS NULL OR cm.chat_id = $2)
          AND m.deleted_at IS NULL AND m.search @@ to_tsquery('simple', $3)
          AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = $1 AND h.message_id = m.id)
          AND (m.created_at, m.id) < ($4::timestamptz, $5::uuid)
        ORDER BY m.created_at DESC, m.id DESC LIMIT $6`,
      [userId, chatId, tsquery, below.at, below.id, limit],
    )) as SearchRow[];
  }

  /** Each chat's newest message as `viewerId` sees it (what they deleted for themselves is skipped). */
  async latestIn(chatIds: string[], viewerId: string | null = null): Promise<Map<string, MessageView>> {
    if (chatIds.length === 0) return new Map();
    const hidden = (id: string): string => `EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = $2::uuid AND h.message_id = ${id})`;
    const views = await this.many(
      this.db.manager,
      `m.id IN (SELECT CASE WHEN NOT ${hidden('c.last_message_id')} THEN c.last_message_id
                  ELSE (SELECT x.id FROM messages x WHERE x.chat_id = c.id AND NOT ${hidden('x.id')} ORDER BY x.seq DESC LIMIT 1) END
                FROM chats c WHERE c.id = ANY($1::uuid[]))`,
      [chatIds, viewerId],
    );
    return new Map(views.map((v) => [v.chatId, v]));
  }
}
