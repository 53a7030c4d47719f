import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { NOTIFY, type TypingNotification } from '../common/events/notifications.js';
import { ChatsRepository } from './chats.repository.js';
import { UserViewsService } from '../friendships/user-views.service.js';

/** Typing indicators: ephemeral, never logged; not passed between blocked people. */
@Injectable()
export class TypingService {
  constructor(
    private readonly chats: ChatsRepository,
    private readonly people: UserViewsService,
    private readonly events: EventEmitter2,
  ) {}

  async typing(userId: string, chatId: string): Promise<void> {
    const row = await this.chats.chatFor(userId, chatId);
    if (!row) return;
    if (row.peer_id && (await this.people.blockedEitherWay(userId, row.peer_id))) return;
    this.events.emit(NOTIFY.typing, { chatId, userId } satisfies TypingNotification);
  }
}
