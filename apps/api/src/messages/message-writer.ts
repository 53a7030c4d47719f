import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { MessageView } from '@app/contracts';

/**
 * The whole of a plain send in one statement, so it costs one round trip and one implicit
 * transaction: bump the chat's seq under its row lock (only for a member, and not in a dialog
 * blocked either way), insert the message with that seq and the mentions of members, and append
 * the `message:created` event. Zero rows back means "not here": the caller finds out why on the
 * slow path. A retry with a used client id fails on `messages_sender_client_uq` and changes nothing.
 * Prepared once per connection (named statement), so PostgreSQL plans it once.
 */
const SEND_SQL = `
  WITH c AS (
    UPDATE chats c SET last_seq = c.last_seq + 1, last_message_at = $8, last_message_id = $1
     WHERE c.id = $2
       AND EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = c.id AND cm.user_id = $3)
       AND NOT (c.kind = 'direct' AND EXISTS (
         SELECT 1 FROM chat_members p JOIN blocks b
             ON (b.blocker_id = $3 AND b.blocked_id = p.user_id) OR (b.blocker_id = p.user_id AND b.blocked_id = $3)
          WHERE p.chat_id = c.id AND p.user_id <> $3))
    RETURNING c.last_seq, c.kind
  ), m AS (
    INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text, reply_to_id, mentions, created_at)
    SELECT $1, $2, c.last_seq, $3, $4, $5, $6,
           CASE WHEN c.kind = 'group' AND cardinality($7::text[]) > 0 THEN ARRAY(
             SELECT u.id FROM chat_members cm JOIN users u ON u.id = cm.user_id
              WHERE cm.chat_id = $2 AND u.username_key = ANY($7::text[]) ORDER BY u.id)
           ELSE '{}'::uuid[] END,
           $8
      FROM c
    RETURNING seq, mentions
  ), e AS (
    INSERT INTO chat_events (chat_id, seq, type, data, created_at)
    SELECT $2, m.seq, 'message:created',
           jsonb_set(jsonb_set($9::jsonb, '{seq}', to_jsonb(m.seq)), '{mentions}', to_jsonb(m.mentions)), $8
      FROM m
  )
  SELECT m.seq, m.mentions FROM m`;

export interface PlainSend {
  senderId: string;
  /** The view as it will be stored, except `seq` and `mentions`, which the statement decides. */
  view: MessageView;
  /** Lower-cased @names found in the text; resolved to member ids in groups only. */
  mentionNames: string[];
}

@Injectable()
export class MessageWriter {
  private readonly pool: Pool;

  constructor(@InjectDataSource() db: DataSource) {
    this.pool = (db.driver as unknown as { master: Pool }).master;
  }

  /** The stored view, or null when the sender may not post there (unknown chat, not a member, blocked). */
  async sendPlain(s: PlainSend): Promise<MessageView | null> {
    const { view } = s;
    const res = await this.pool.query<{ seq: string; mentions: string[] }>({
      name: 'messages.send-plain',
      text: SEND_SQL,
      values: [
        view.id, view.chatId, s.senderId, view.clientId, view.text, view.replyTo?.id ?? null,
        s.mentionNames, new Date(view.createdAt), JSON.stringify(view),
      ],
    });
    const row = res.rows[0];
    if (!row) return null;
    return { ...view, seq: Number(row.seq), mentions: row.mentions };
  }
}
