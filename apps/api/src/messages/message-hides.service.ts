import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AnyChatEvent, HiddenMessagesView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, notifyUsers } from '../common/events/notifications.js';
import { isUuid } from '../common/pagination/cursor.js';
import { MessageHidesRepository } from './message-hides.repository.js';

/**
 * "Delete for me": the message leaves the caller's history (every device, after reloads too);
 * the other members keep it. Idempotent. A message the caller cannot see answers 404.
 */
@Injectable()
export class MessageHidesService {
  constructor(
    private readonly hides: MessageHidesRepository,
    private readonly events: EventEmitter2,
  ) {}

  async hide(userId: string, chatId: string, messageId: string): Promise<void> {
    if (!isUuid(chatId) || !isUuid(messageId)) throw DomainError.notFound();
    if (!(await this.hides.hide(userId, chatId, messageId))) throw DomainError.notFound();
    this.events.emit(NOTIFY.users, notifyUsers([userId], 'message:hidden', { chatId, messageId }));
  }

  /** What a device that was away must drop from the history it holds (from seq `from` on, newest first, 1000 at most). */
  async list(userId: string, chatId: string, from: number): Promise<HiddenMessagesView> {
    const ids = isUuid(chatId) ? await this.hides.hiddenFrom(userId, chatId, from, 1000) : null;
    if (!ids) throw DomainError.notFound();
    return { messageIds: ids };
  }

  /** The messages touched by these events that the user hid (a catch-up must not bring them back). */
  hiddenIn(userId: string, events: AnyChatEvent[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const e of events) {
      if (e.type === 'reaction:changed' || e.type === 'message:listened') ids.add(e.data.messageId);
      else if (e.type === 'message:created' || e.type === 'message:updated' || e.type === 'message:deleted') ids.add(e.data.id);
    }
    return this.hides.hiddenAmong(userId, [...ids]);
  }
}
