import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CHAT_LIMITS, groupAvatarView, type AnyChatEvent, type ChatView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, type ChatNotification } from '../common/events/notifications.js';
import { isUuid } from '../common/pagination/cursor.js';
import { ChatLogRepository } from './chat-log.repository.js';
import { ChatsRepository } from './chats.repository.js';
import { ChatsService } from './chats.service.js';
import { cleanText } from './chat-text.js';
import { ServiceMessages } from './service-messages.js';

export interface AvatarChange {
  chat: ChatView;
  /** The key the new one replaced: the caller deletes its files. */
  previous: string | null;
}

/**
 * A group's picture and description, changed by its owner and admins. Each change is logged as
 * `chat:profile-changed` (members see it live and on catch-up); a new or removed picture also
 * leaves a service message in the history.
 */
@Injectable()
export class GroupProfileService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly chats: ChatsRepository,
    private readonly chatsService: ChatsService,
    private readonly log: ChatLogRepository,
    private readonly service: ServiceMessages,
    private readonly events: EventEmitter2,
  ) {}

  /** Refuses before an upload is processed: outsiders get 404, members without rights 403. */
  async requireEditor(viewerId: string, chatId: string): Promise<void> {
    const chat = await this.chatsService.get(viewerId, chatId);
    if (chat.kind !== 'group') throw new DomainError('FORBIDDEN', 'Dialogs have no group picture or description');
    if (chat.myRole === 'member') throw new DomainError('FORBIDDEN', 'Only admins can change the group');
  }

  async setDescription(viewerId: string, chatId: string, raw: string): Promise<ChatView> {
    const description = cleanText(raw) || null;
    if (description && description.length > CHAT_LIMITS.descriptionMax) throw DomainError.validation('description', 'too_long', 'The description is too long');
    await this.change(viewerId, chatId, async (m) => {
      await this.chats.setDescription(m, chatId, description);
      return [];
    });
    return this.chatsService.get(viewerId, chatId);
  }

  /** Sets (or with null removes) the picture whose files were stored under `key`. */
  async setAvatar(viewerId: string, chatId: string, key: string | null): Promise<AvatarChange> {
    let previous: string | null = null;
    await this.change(viewerId, chatId, async (m) => {
      previous = (await this.chats.profile(m, chatId)).avatar_key;
      if (previous === key) return null;
      await this.chats.setAvatarKey(m, chatId, key);
      return [await this.service.post(m, chatId, viewerId, { type: 'group-photo-changed', removed: key === null })];
    });
    return { chat: await this.chatsService.get(viewerId, chatId), previous: previous === key ? null : previous };
  }

  /** `apply` returns events to log after the profile change, or null when nothing changed. */
  private async change(viewerId: string, chatId: string, apply: (m: EntityManager) => Promise<AnyChatEvent[] | null>): Promise<void> {
    if (!isUuid(chatId)) throw DomainError.notFound();
    const events = await this.db.transaction(async (m) => {
      const { seq, kind } = await this.log.next(m, chatId, viewerId);
      if (kind !== 'group') throw new DomainError('FORBIDDEN', 'Dialogs have no group picture or description');
      if ((await this.chats.role(chatId, viewerId, m)) === 'member') throw new DomainError('FORBIDDEN', 'Only admins can change the group');
      const after = await apply(m);
      const row = await this.chats.profile(m, chatId);
      const changed = await this.log.record(m, chatId, seq, 'chat:profile-changed', { avatar: groupAvatarView(row.avatar_key), description: row.description });
      return [changed, ...(after ?? [])];
    });
    for (const event of events) this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
  }
}
