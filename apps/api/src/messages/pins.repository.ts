import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { modifyReturning } from '../database/sql.js';

export interface PinRow {
  message_id: string;
  pinned_by: string | null;
  pinned_at: Date;
}

/** A chat's pinned messages (`chat_pins`); writes run inside the change's transaction. */
@Injectable()
export class PinsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The new pin, or null when the message was pinned already. */
  async add(m: EntityManager, chatId: string, messageId: string, by: string): Promise<PinRow | null> {
    const rows = (await m.query(
      `INSERT INTO chat_pins (chat_id, message_id, pinned_by) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING message_id, pinned_by, pinned_at`,
      [chatId, messageId, by],
    )) as PinRow[];
    return rows[0] ?? null;
  }

  async remove(m: EntityManager, chatId: string, messageId: string): Promise<boolean> {
    const rows = await modifyReturning<{ message_id: string }>(m, 'DELETE FROM chat_pins WHERE chat_id = $1 AND message_id = $2 RETURNING message_id', [chatId, messageId]);
    return rows.length > 0;
  }

  /** Pins of messages still shown (not deleted), counted under the chat row lock the caller holds. */
  async count(m: EntityManager, chatId: string): Promise<number> {
    const rows = (await m.query(
      `SELECT count(*)::int AS n FROM chat_pins p JOIN messages msg ON msg.id = p.message_id
       WHERE p.chat_id = $1 AND msg.deleted_at IS NULL`,
      [chatId],
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** Most recently pinned first; pins of deleted messages are left out. */
  async list(chatId: string, limit: number): Promise<PinRow[]> {
    return (await this.db.query(
      `SELECT p.message_id, p.pinned_by, p.pinned_at FROM chat_pins p JOIN messages msg ON msg.id = p.message_id
       WHERE p.chat_id = $1 AND msg.deleted_at IS NULL ORDER BY p.pinned_at DESC, p.message_id LIMIT $2`,
      [chatId, limit],
    )) as PinRow[];
  }
}
