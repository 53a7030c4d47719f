import { Injectable } from '@nestjs/common';
import type { ChatWallpaperView } from '@app/contracts';
import { ChatAccessService } from '../chats/chat-access.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ChatWallpapersRepository } from './chat-wallpapers.repository.js';
import { profileImageView, ProfileImageStore } from './profile-images.js';

/**
 * A member's own wallpaper for one chat, cropped by the profile image pipeline. The row hangs off
 * the membership, so leaving the chat drops it; outsiders get 404 as for a missing chat.
 */
@Injectable()
export class ChatWallpapersService {
  constructor(
    private readonly chats: ChatAccessService,
    private readonly wallpapers: ChatWallpapersRepository,
    private readonly images: ProfileImageStore,
  ) {}

  private async current(userId: string, chatId: string): Promise<string | null> {
    await this.chats.requireMember(userId, chatId);
    return this.wallpapers.key(chatId, userId);
  }

  async get(userId: string, chatId: string): Promise<ChatWallpaperView> {
    return { wallpaper: profileImageView('wallpapers', await this.current(userId, chatId)) };
  }

  async set(userId: string, chatId: string, path: string): Promise<ChatWallpaperView> {
    const previous = await this.current(userId, chatId);
    const key = await this.images.store('wallpapers', path);
    let stored: boolean;
    try {
      stored = await this.wallpapers.set(chatId, userId, key);
    } catch (e) {
      await this.images.remove('wallpapers', key);
      throw e;
    }
    if (!stored) {
      // The member left while the image was being made.
      await this.images.remove('wallpapers', key);
      throw DomainError.notFound();
    }
    if (previous !== key) await this.images.remove('wallpapers', previous);
    return { wallpaper: profileImageView('wallpapers', key) };
  }

  async clear(userId: string, chatId: string): Promise<ChatWallpaperView> {
    await this.chats.requireMember(userId, chatId);
    await this.images.remove('wallpapers', await this.wallpapers.clear(chatId, userId));
    return { wallpaper: null };
  }
}
