import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { MessageView } from '@app/contracts';

/**
 * The whole of a plain send in one statement, so it costs one round trip and one implicit
 * transaction: bump the chat's seq under its row lock (only for a member, and not in a dialog
 * blocked either way), insert the message with that seq and the mentions of members, and append
 * the `message:created` event (whose data also gives the stored formatting). Zero rows back means "not here": the caller finds out why on the
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
    INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text, entities, reply_to_id, mentions, created_at)
    SELECT $1, $2, c.last_seq, $3, $4, $5, COALESCE($9::jsonb -> 'entities', '[]'), $6,
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

/**
 * The same for many sends at once (one transaction, one commit): the chats are locked in id order
 * (so concurrent batches cannot deadlock), each allowed send takes the next seq of its chat in
 * arrival order, and a send whose (sender, client id) is already stored is left out like a refused
 * one. Mention names and event data travel as JSON text, one per send.
 */
const SEND_BATCH_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::timestamptz[], $9::text[])
      WITH ORDINALITY AS i(id, chat_id, sender_id, client_id, text, reply_to_id, names, created_at, data, ord)
  ), locked AS (
    SELECT c.id, c.kind, c.last_seq FROM chats c WHERE c.id IN (SELECT chat_id FROM input) ORDER BY c.id FOR NO KEY UPDATE
  ), ok AS (
    SELECT i.*, c.kind, c.last_seq + row_number() OVER (PARTITION BY i.chat_id ORDER BY i.ord) AS seq
      FROM input i JOIN locked c ON c.id = i.chat_id
     WHERE EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = i.chat_id AND cm.user_id = i.sender_id)
       AND NOT (c.kind = 'direct' AND EXISTS (
         SELECT 1 FROM chat_members p JOIN blocks b
             ON (b.blocker_id = i.sender_id AND b.blocked_id = p.user_id) OR (b.blocker_id = p.user_id AND b.blocked_id = i.sender_id)
          WHERE p.chat_id = i.chat_id AND p.user_id <> i.sender_id))
       AND NOT EXISTS (SELECT 1 FROM messages x WHERE x.sender_id = i.sender_id AND x.client_id = i.client_id)
  ), bump AS (
    UPDATE chats c SET last_seq = t.seq, last_message_at = t.created_at, last_message_id = t.id
      FROM (SELECT DISTINCT ON (chat_id) chat_id, seq, created_at, id FROM ok ORDER BY chat_id, seq DESC) t
     WHERE c.id = t.chat_id
  ), m AS (
    INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text, entities, reply_to_id, mentions, created_at)
    SELECT ok.id, ok.chat_id, ok.seq, ok.sender_id, ok.client_id, ok.text, COALESCE(ok.data::jsonb -> 'entities', '[]'), ok.reply_to_id,
           CASE WHEN ok.kind = 'group' AND ok.names <> '[]' THEN ARRAY(
             SELECT u.id FROM chat_members cm JOIN users u ON u.id = cm.user_id
              WHERE cm.chat_id = ok.chat_id AND u.username_key IN (SELECT jsonb_array_elements_text(ok.names::jsonb)) ORDER BY u.id)
           ELSE '{}'::uuid[] END,
           ok.created_at
      FROM ok
    RETURNING id, chat_id, seq, mentions, created_at
  ), e AS (
    INSERT INTO chat_events (chat_id, seq, type, data, created_at)
    SELECT m.chat_id, m.seq, 'message:created',
           jsonb_set(jsonb_set(ok.data::jsonb, '{seq}', to_jsonb(m.seq)), '{mentions}', to_jsonb(m.mentions)), m.created_at
      FROM m JOIN ok ON ok.id = m.id
  )
  SELECT id, seq, mentions FROM m`;

export interface PlainSend {
  senderId: string;
  /** The view as it will be stored, except `seq` and `mentions`, which the statement decides. */
  view: MessageView;
  /** Lower-cased @names found in the text; resolved to member ids in groups only. */
  mentionNames: string[];
}

export interface SendRow {
  id: string;
  seq: string;
  mentions: string[];
}

/** The view as stored: what the statement decided (seq, mentions) over what was sent. */
export const storedView = (view: MessageView, row: SendRow): MessageView => ({ ...view, seq: Number(row.seq), mentions: row.mentions });

/**
 * The plain-send statements, run on the pool's own connections as named (prepared) statements.
 * Who may send where is decided inside them (a member, and not in a dialog blocked either way);
 * `send-rules.int-spec.ts` keeps them in step with the transactional path of MessagesService.
 */
@Injectable()
export class MessageSendsRepository {
  private readonly pool: Pool;

  constructor(@InjectDataSource() db: DataSource) {
    this.pool = (db.driver as unknown as { master: Pool }).master;
  }

  /** The stored view, or null when the send is not allowed there. A used client id throws on `messages_sender_client_uq`. */
  async sendOne(send: PlainSend): Promise<MessageView | null> {
    const { view } = send;
    const res = await this.pool.query<SendRow>({
      name: 'messages.send-plain',
      text: SEND_SQL,
      values: [
        view.id, view.chatId, send.senderId, view.clientId, view.text, view.replyTo?.id ?? null,
        send.mentionNames, new Date(view.createdAt), JSON.stringify(view),
      ],
    });
    const row = res.rows[0];
    return row ? storedView(view, row) : null;
  }

  /** The rows stored, by message id: sends not allowed or already stored are left out. */
  async sendMany(sends: PlainSend[]): Promise<Map<string, SendRow>> {
    const res = await this.pool.query<SendRow>({
      name: 'messages.send-batch',
      text: SEND_BATCH_SQL,
      values: [
        sends.map((s) => s.view.id), sends.map((s) => s.view.chatId), sends.map((s) => s.senderId),
        sends.map((s) => s.view.clientId), sends.map((s) => s.view.text), sends.map((s) => s.view.replyTo?.id ?? null),
        sends.map((s) => JSON.stringify(s.mentionNames)), sends.map((s) => new Date(s.view.createdAt)), sends.map((s) => JSON.stringify(s.view)),
      ],
    });
    return new Map(res.rows.map((r) => [r.id, r]));
  }
}
