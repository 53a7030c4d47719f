import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** "Delete for me": which messages each member hid from their own history. */
@Injectable()
export class MessageHidesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Hides a message of the chat for a member; false when they are not a member or it is not in the chat. */
  async hide(userId: string, chatId: string, messageId: string): Promise<boolean> {
    const [row] = (await this.db.query(
      `WITH target AS (
         SELECT m.id FROM messages m
          WHERE m.id = $2 AND m.chat_id = $3 AND EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = $3 AND cm.user_id = $1)),
       ins AS (
         INSERT INTO message_hides (user_id, message_id, chat_id) SELECT $1, id, $3 FROM target ON CONFLICT DO NOTHING)
       SELECT count(*)::int AS n FROM target`,
      [userId, messageId, chatId],
    )) as { n: number }[];
    return (row?.n ?? 0) > 0;
  }

  /** The messages of the chat from seq `from` on that the user hid (at most `limit`); null when they are not a member. */
  async hiddenFrom(userId: string, chatId: string, from: number, limit: number): Promise<string[] | null> {
    const member = (await this.db.query('SELECT 1 FROM chat_members WHERE chat_id = $1 AND user_id = $2', [chatId, userId])) as unknown[];
    if (member.length === 0) return null;
    const rows = (await this.db.query(
      `SELECT h.message_id FROM message_hides h JOIN messages m ON m.id = h.message_id
        WHERE h.user_id = $1 AND h.chat_id = $2 AND m.seq >= $3 ORDER BY m.seq DESC LIMIT $4`,
      [userId, chatId, from, limit],
    )) as { message_id: string }[];
    return rows.map((r) => r.message_id);
  }

  /** Those of `messageIds` the user hid. */
  async hiddenAmong(userId: string, messageIds: string[]): Promise<string[]> {
    if (messageIds.length === 0) return [];
    const rows = (await this.db.query(
      'SELECT message_id FROM message_hides WHERE user_id = $1 AND message_id = ANY($2::uuid[])',
      [userId, messageIds],
    )) as { message_id: string }[];
    return rows.map((r) => r.message_id);
  }
}
