import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { modifyReturning } from '../database/sql.js';

/** Each member's own wallpaper of a chat; the row hangs off the membership (it goes when they leave). */
@Injectable()
export class ChatWallpapersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async key(chatId: string, userId: string): Promise<string | null> {
    const rows = (await this.db.query('SELECT key FROM chat_wallpapers WHERE chat_id = $1 AND user_id = $2', [chatId, userId])) as { key: string }[];
    return rows[0]?.key ?? null;
  }

  /** Sets the member's wallpaper; false when they are no longer a member (the membership row is gone). */
  async set(chatId: string, userId: string, key: string): Promise<boolean> {
    try {
      await this.db.query(
        `INSERT INTO chat_wallpapers (chat_id, user_id, key) VALUES ($1, $2, $3)
         ON CONFLICT (chat_id, user_id) DO UPDATE SET key = EXCLUDED.key, updated_at = now()`,
        [chatId, userId, key],
      );
      return true;
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23503') return false;
      throw e;
    }
  }

  /** Removes it; returns the key it had, if any. */
  async clear(chatId: string, userId: string): Promise<string | null> {
    const rows = await modifyReturning<{ key: string }>(
      this.db.manager,
      'DELETE FROM chat_wallpapers WHERE chat_id = $1 AND user_id = $2 RETURNING key',
      [chatId, userId],
    );
    return rows[0]?.key ?? null;
  }
}
