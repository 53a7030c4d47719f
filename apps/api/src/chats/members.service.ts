import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CHAT_LIMITS, type MemberRole, type MemberView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, notifyUsers, type ChatNotification, type RoomsNotification } from '../common/events/notifications.js';
import { ChatLogRepository } from './chat-log.repository.js';
import { ChatsRepository } from './chats.repository.js';
import { MembersRepository } from './members.repository.js';
import { ChatsService } from './chats.service.js';
import { toMemberView } from './chats.mapper.js';
import { UserViewsService } from '../friendships/user-views.service.js';
import { ServiceMessages } from './service-messages.js';

const RANK: Record<MemberRole, number> = { owner: 3, admin: 2, member: 1 };

/** Group membership: list, add, remove or leave, and admin roles. */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly chats: ChatsRepository,
    private readonly membership: MembersRepository,
    private readonly chatsService: ChatsService,
    private readonly people: UserViewsService,
    private readonly log: ChatLogRepository,
    private readonly service: ServiceMessages,
    private readonly events: EventEmitter2,
  ) {}

  async list(viewerId: string, chatId: string): Promise<MemberView[]> {
    await this.chatsService.get(viewerId, chatId);
    return this.views(viewerId, chatId);
  }

  async add(viewerId: string, chatId: string, userIds: string[]): Promise<MemberView[]> {
    await this.chatsService.get(viewerId, chatId);
    const ids = [...new Set(userIds)];
    await this.chatsService.requireAddable(viewerId, ids);
    // Built before the transaction: nothing may wait on another connection while the chat row is locked.
    const cards = await this.people.cards(ids);
    const { event, note, added } = await this.db.transaction(async (m) => {
      const { seq } = await this.requireAdmin(m, chatId, viewerId);
      const addedIds = await this.membership.add(m, chatId, seq, ids);
      if (addedIds.length === 0) throw new DomainError('CONFLICT', 'They are already members');
      if ((await this.membership.count(m, chatId)) > CHAT_LIMITS.groupMembersMax) throw DomainError.validation('userIds', 'too_many', 'Too many members');
      const members = (await this.chats.members(chatId, m))
        .filter((r) => addedIds.includes(r.user_id) && cards.has(r.user_id))
        .map((r) => toMemberView(r, cards.get(r.user_id)!));
      const event = await this.log.record(m, chatId, seq, 'chat:member-added', { members });
      const note = await this.service.post(m, chatId, viewerId, { type: 'members-added', userIds: addedIds });
      return { event, note, added: addedIds };
    });
    this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    this.events.emit(NOTIFY.chat, { event: note } satisfies ChatNotification);
    await this.chatsService.announce(chatId, added);
    return event.data.members;
  }

  /** Removing yourself is leaving; removing others needs a higher role. */
  async remove(viewerId: string, chatId: string, userId: string): Promise<void> {
    const events = await this.db.transaction(async (m) => {
      const { seq, kind } = await this.log.next(m, chatId, viewerId);
      if (kind !== 'group') throw new DomainError('FORBIDDEN', 'You cannot leave a dialog');
      const mine = (await this.chats.role(chatId, viewerId, m))!;
      const theirs = await this.chats.role(chatId, userId, m);
      if (!theirs) throw DomainError.notFound();
      if (userId !== viewerId && (mine === 'member' || RANK[theirs] >= RANK[mine])) {
        throw new DomainError('FORBIDDEN', 'You cannot remove this member');
      }
      await this.membership.remove(m, chatId, userId);
      const removed = await this.log.record(m, chatId, seq, 'chat:member-removed', { userId, by: userId === viewerId ? null : viewerId });
      const note = await this.service.post(m, chatId, viewerId, userId === viewerId ? { type: 'member-left' } : { type: 'member-removed', userId });
      const heir = theirs === 'owner' ? await this.passOwnership(m, chatId) : null;
      if (!heir) return [removed, note];
      const next = await this.log.next(m, chatId, null);
      const promoted = await this.log.record(m, chatId, next.seq, 'chat:member-updated', { userId: heir, role: 'owner' });
      return [removed, note, promoted, await this.service.post(m, chatId, viewerId, { type: 'role-changed', userId: heir, role: 'owner' })];
    });
    // Leave the room everywhere first, so nothing after this reaches the removed member.
    this.events.emit(NOTIFY.rooms, { chatId, userIds: [userId], action: 'leave' } satisfies RoomsNotification);
    this.events.emit(NOTIFY.users, notifyUsers([userId], 'chat:removed', { chatId }));
    for (const event of events) this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
  }

  async setRole(viewerId: string, chatId: string, userId: string, role: 'admin' | 'member'): Promise<MemberView> {
    const events = await this.db.transaction(async (m) => {
      const { seq, kind } = await this.log.next(m, chatId, viewerId);
      if (kind !== 'group') throw DomainError.notFound();
      if ((await this.chats.role(chatId, viewerId, m)) !== 'owner') throw new DomainError('FORBIDDEN', 'Only the owner can change roles');
      const theirs = await this.chats.role(chatId, userId, m);
      if (!theirs) throw DomainError.notFound();
      if (theirs === 'owner') throw new DomainError('FORBIDDEN', "The owner's role cannot change");
      await this.membership.setRole(m, chatId, userId, role);
      const updated = await this.log.record(m, chatId, seq, 'chat:member-updated', { userId, role });
      if (theirs === role) return [updated];
      return [updated, await this.service.post(m, chatId, viewerId, { type: 'role-changed', userId, role })];
    });
    for (const event of events) this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    return (await this.views(viewerId, chatId)).find((v) => v.user.id === userId)!;
  }

  private async requireAdmin(m: EntityManager, chatId: string, viewerId: string): Promise<{ seq: number }> {
    const { seq, kind } = await this.log.next(m, chatId, viewerId);
    if (kind !== 'group') throw new DomainError('FORBIDDEN', 'Dialogs have exactly two members');
    if ((await this.chats.role(chatId, viewerId, m)) === 'member') throw new DomainError('FORBIDDEN', 'Only admins can add members');
    return { seq };
  }

  /** The longest-standing admin (else member) becomes owner; returns who, or null when nobody is left. */
  private async passOwnership(m: EntityManager, chatId: string): Promise<string | null> {
    const heir = await this.membership.heir(m, chatId);
    if (heir) await this.membership.setRole(m, chatId, heir, 'owner');
    return heir;
  }

  private async views(viewerId: string, chatId: string): Promise<MemberView[]> {
    const rows = await this.chats.members(chatId);
    const users = await this.people.views(viewerId, rows.map((r) => r.user_id), { keepHidden: true });
    return rows.filter((r) => users.has(r.user_id)).map((r) => toMemberView(r, users.get(r.user_id)!));
  }
}
