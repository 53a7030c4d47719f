import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CHAT_LIMITS, type ChatEvent, type PinView, type PinsView } from '@app/contracts';
import { ChatAccessService } from '../chats/chat-access.service.js';
import { ChatLogRepository } from '../chats/chat-log.repository.js';
import { ChatsRepository } from '../chats/chats.repository.js';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, type ChatNotification } from '../common/events/notifications.js';
import { isUuid } from '../common/pagination/cursor.js';
import { MessageViewsRepository } from './message-views.repository.js';
import { PinsRepository } from './pins.repository.js';

/**
 * Pinned messages: in a group admins and the owner pin and unpin, in a dialog either person;
 * at most CHAT_LIMITS.pinsMax per chat. Each change takes the chat's next seq and goes through
 * its event log, so members see it live and catch-up replays it.
 */
@Injectable()
export class PinsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly pins: PinsRepository,
    private readonly views: MessageViewsRepository,
    private readonly log: ChatLogRepository,
    private readonly chats: ChatsRepository,
    private readonly access: ChatAccessService,
    private readonly events: EventEmitter2,
  ) {}

  async list(userId: string, chatId: string): Promise<PinsView> {
    await this.access.requireMember(userId, chatId);
    const rows = await this.pins.list(chatId, CHAT_LIMITS.pinsMax);
    const messages = new Map((await this.views.manyInChat(chatId, rows.map((r) => r.message_id))).map((m) => [m.id, m]));
    return {
      items: rows.flatMap((r) => {
        const message = messages.get(r.message_id);
        return message ? [{ message, pinnedBy: r.pinned_by, pinnedAt: r.pinned_at.toISOString() }] : [];
      }),
    };
  }

  /** Pins a message; pinning one that is pinned already answers the pin and changes nothing. */
  async pin(userId: string, chatId: string, messageId: string): Promise<PinView> {
    if (!isUuid(chatId) || !isUuid(messageId)) throw DomainError.notFound();
    let event: ChatEvent<'chat:pinned'> | null = null;
    const pin = await this.db.transaction(async (m) => {
      const { seq, kind } = await this.log.next(m, chatId, userId);
      await this.requireMayPin(chatId, userId, kind, m);
      const message = await this.views.inChat(chatId, messageId, m);
      if (!message) throw DomainError.notFound();
      if (message.deletedAt) throw new DomainError('CONFLICT', 'This message was deleted');
      if ((await this.pins.count(m, chatId)) >= CHAT_LIMITS.pinsMax) {
        const existing = (await this.pins.list(chatId, CHAT_LIMITS.pinsMax)).find((r) => r.message_id === messageId);
        if (!existing) throw new DomainError('CONFLICT', `A chat can have at most ${CHAT_LIMITS.pinsMax} pinned messages: unpin one first`);
      }
      const row = await this.pins.add(m, chatId, messageId, userId);
      if (!row) {
        const existing = (await this.pins.list(chatId, CHAT_LIMITS.pinsMax)).find((r) => r.message_id === messageId);
        // Nothing changed: give the seq back by failing this transaction's bump.
        throw new PinnedAlready(existing ? { message, pinnedBy: existing.pinned_by, pinnedAt: existing.pinned_at.toISOString() } : null);
      }
      const view: PinView = { message, pinnedBy: row.pinned_by, pinnedAt: row.pinned_at.toISOString() };
      event = await this.log.record(m, chatId, seq, 'chat:pinned', view);
      return view;
    }).catch((e: unknown) => {
      if (e instanceof PinnedAlready && e.pin) return e.pin;
      throw e;
    });
    if (event) this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    return pin;
  }

  async unpin(userId: string, chatId: string, messageId: string): Promise<void> {
    if (!isUuid(chatId) || !isUuid(messageId)) throw DomainError.notFound();
    const event = await this.db.transaction(async (m) => {
      const { seq, kind } = await this.log.next(m, chatId, userId);
      await this.requireMayPin(chatId, userId, kind, m);
      if (!(await this.pins.remove(m, chatId, messageId))) throw DomainError.notFound();
      return this.log.record(m, chatId, seq, 'chat:unpinned', { messageId });
    });
    this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
  }

  private async requireMayPin(chatId: string, userId: string, kind: 'direct' | 'group', m: Parameters<ChatsRepository['role']>[2]): Promise<void> {
    if (kind !== 'group') return;
    const role = await this.chats.role(chatId, userId, m);
    if (role === 'member') throw new DomainError('FORBIDDEN', 'Only admins can pin messages in a group');
  }
}

/** Rolls back a pin that changed nothing (its seq bump included). */
class PinnedAlready extends Error {
  constructor(readonly pin: PinView | null) {
    super('pinned already');
  }
}
