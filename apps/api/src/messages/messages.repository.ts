import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MessageEntity } from '@app/contracts';
import { modifyReturning } from '../database/sql.js';
import { MessageEditsRepository } from './message-edits.repository.js';

export interface NewMessage {
  id: string;
  chatId: string;
  seq: number;
  senderId: string;
  clientId: string;
  text: string;
  entities: MessageEntity[];
  replyToId: string | null;
  mentions: string[];
}

/**
 * Message writes inside a change's transaction (the caller holds the chat row lock through the
 * chat log): the send with attachments, edits, deletes, reactions, and what they look up.
 */
@Injectable()
export class MessagesRepository {
  constructor(private readonly edits: MessageEditsRepository) {}

  async insert(m: EntityManager, msg: NewMessage): Promise<void> {
    await m.query(
      `INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text, entities, reply_to_id, mentions)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[])`,
      [msg.id, msg.chatId, msg.seq, msg.senderId, msg.clientId, msg.text, JSON.stringify(msg.entities), msg.replyToId, msg.mentions],
    );
  }

  /** Whether a message that can be quoted (not a service message) is in the chat. */
  async existsInChat(m: EntityManager, chatId: string, messageId: string): Promise<boolean> {
    const rows = (await m.query('SELECT id FROM messages WHERE id = $1 AND chat_id = $2 AND service IS NULL', [messageId, chatId])) as { id: string }[];
    return rows.length > 0;
  }

  /** The ids of the chat's members whose username key is among `names`, in id order. */
  async memberIdsNamed(m: EntityManager, chatId: string, names: string[]): Promise<string[]> {
    const rows = (await m.query(
      `SELECT u.id FROM chat_members cm JOIN users u ON u.id = cm.user_id WHERE cm.chat_id = $1 AND u.username_key = ANY($2::text[]) ORDER BY u.id`,
      [chatId, names],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** The text it replaces becomes an earlier version (kept for members to see). */
  async edit(m: EntityManager, messageId: string, change: { text: string; entities: MessageEntity[]; mentions: string[] }): Promise<void> {
    await this.edits.keepCurrent(m, messageId);
    await m.query(
      'UPDATE messages SET text = $2, entities = $3, mentions = $4::uuid[], edited_at = now() WHERE id = $1',
      [messageId, change.text, JSON.stringify(change.entities), change.mentions],
    );
  }

  /** Delete for everyone: the row stays as a tombstone; its reactions, listens and earlier versions go. */
  async markDeleted(m: EntityManager, messageId: string): Promise<void> {
    await this.edits.removeAll(m, messageId);
    await m.query('UPDATE messages SET deleted_at = now() WHERE id = $1', [messageId]);
    await m.query('DELETE FROM reactions WHERE message_id = $1', [messageId]);
    await m.query('DELETE FROM message_listens WHERE message_id = $1', [messageId]);
  }

  /** Adds or removes one reaction; whether anything changed. */
  async setReaction(m: EntityManager, messageId: string, userId: string, emoji: string, on: boolean): Promise<boolean> {
    if (on) {
      const rows = (await m.query(
        'INSERT INTO reactions (message_id, user_id, emoji) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING emoji',
        [messageId, userId, emoji],
      )) as unknown[];
      return rows.length > 0;
    }
    const rows = await modifyReturning<{ emoji: string }>(
      m,
      'DELETE FROM reactions WHERE message_id = $1 AND user_id = $2 AND emoji = $3 RETURNING emoji',
      [messageId, userId, emoji],
    );
    return rows.length > 0;
  }
}
