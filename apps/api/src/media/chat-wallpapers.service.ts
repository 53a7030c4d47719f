import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import type { ChatWallpaperView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { isUuid } from '../common/pagination/cursor.js';
import { modifyReturning } from '../database/sql.js';
import { profileImageView, ProfileImageStore } from './profile-images.js';

/**
 * A member's own wallpaper for one chat, cropped by the profile image pipeline. The row hangs off
 * the membership, so leaving the chat drops it; outsiders get 404 as for a missing chat.
 */
@Injectable()
export class ChatWallpapersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly images: ProfileImageStore,
  ) {}

  private async requireMember(userId: string, chatId: string): Promise<string | null> {
    const rows = isUuid(chatId)
      ? ((await this.db.query(
          `SELECT w.key FROM chat_members cm LEFT JOIN chat_wallpapers w ON w.chat_id = cm.chat_id AND w.user_id = cm.user_id
            WHERE cm.chat_id = $1 AND cm.user_id = $2`,
          [chatId, userId],
        )) as { key: string | null }[])
      : [];
    if (!rows[0]) throw DomainError.notFound();
    return rows[0].key;
  }

  async get(userId: string, chatId: string): Promise<ChatWallpaperView> {
    return { wallpaper: profileImageView('wallpapers', await this.requireMember(userId, chatId)) };
  }

  async set(userId: string, chatId: string, path: string): Promise<ChatWallpaperView> {
    const previous = await this.requireMember(userId, chatId);
    const key = await this.images.store('wallpapers', path);
    try {
      await this.db.query(
        `INSERT INTO chat_wallpapers (chat_id, user_id, key) VALUES ($1, $2, $3)
         ON CONFLICT (chat_id, user_id) DO UPDATE SET key = EXCLUDED.key, updated_at = now()`,
        [chatId, userId, key],
      );
    } catch (e) {
      await this.images.remove('wallpapers', key);
      // The member left while the image was being made.
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23503') throw DomainError.notFound();
      throw e;
    }
    if (previous !== key) await this.images.remove('wallpapers', previous);
    return { wallpaper: profileImageView('wallpapers', key) };
  }

  async clear(userId: string, chatId: string): Promise<ChatWallpaperView> {
    await this.requireMember(userId, chatId);
    const rows = await modifyReturning<{ key: string }>(
      this.db.manager,
      'DELETE FROM chat_wallpapers WHERE chat_id = $1 AND user_id = $2 RETURNING key',
      [chatId, userId],
    );
    await this.images.remove('wallpapers', rows[0]?.key ?? null);
    return { wallpaper: null };
  }
}
