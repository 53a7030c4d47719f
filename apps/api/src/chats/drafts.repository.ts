import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { modifyReturning } from '../database/sql.js';

export interface DraftRow {
  chat_id: string;
  text: string;
  reply_to_id: string | null;
  updated_at: Date;
}

/** Drafts (`drafts`): one row per user and chat while there is unsent text or a reply target. */
@Injectable()
export class DraftsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async save(userId: string, chatId: string, text: string, replyToId: string | null): Promise<DraftRow> {
    const rows = (await this.db.query(
      `INSERT INTO drafts (user_id, chat_id, text, reply_to_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, chat_id) DO UPDATE SET text = EXCLUDED.text, reply_to_id = EXCLUDED.reply_to_id, updated_at = now()
       RETURNING chat_id, text, reply_to_id, updated_at`,
      [userId, chatId, text, replyToId],
    )) as DraftRow[];
    return rows[0]!;
  }

  /** Whether there was a draft to remove. */
  async remove(userId: string, chatId: string): Promise<boolean> {
    const rows = await modifyReturning<{ chat_id: string }>(this.db.manager, 'DELETE FROM drafts WHERE user_id = $1 AND chat_id = $2 RETURNING chat_id', [userId, chatId]);
    return rows.length > 0;
  }

  /** Whether `messageId` is a message of the chat (a draft may reply to it). */
  async messageInChat(chatId: string, messageId: string): Promise<boolean> {
    const rows = (await this.db.query('SELECT 1 FROM messages WHERE id = $1 AND chat_id = $2 AND deleted_at IS NULL', [messageId, chatId])) as unknown[];
    return rows.length > 0;
  }
}
