import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CHAT_LIMITS, type MemberRole, type MemberView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, notifyUsers, type ChatNotification, type RoomsNotification } from '../common/events/notifications.js';
import { ChatLog } from './chat-log.js';
import { ChatsRepository } from './chats.repository.js';
import { ChatsService } from './chats.service.js';
import { toMemberView } from './chats.mapper.js';
import { UserViewsService } from '../friendships/user-views.service.js';

const RANK: Record<MemberRole, number> = { owner: 3, admin: 2, member: 1 };

/** Group membership: list, add, remove or leave, and admin roles. */
@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly chats: ChatsRepository,
    private readonly chatsService: ChatsService,
    private readonly people: UserViewsService,
    private readonly log: ChatLog,
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
    const { event, added } = await this.db.transaction(async (m) => {
      const { seq } = await this.requireAdmin(m, chatId, viewerId);
      const inserted = (await m.query(
        `INSERT INTO chat_members (chat_id, user_id, role, joined_seq, last_read_seq)
           SELECT $1, u, 'member', $2, $2 FROM unnest($3::uuid[]) AS u
         ON CONFLICT DO NOTHING RETURNING user_id`,
        [chatId, seq, ids],
      )) as { user_id: string }[];
      if (inserted.length === 0) throw new DomainError('CONFLICT', 'They are already members');
      const [{ n }] = (await m.query('SELECT count(*)::int AS n FROM chat_members WHERE chat_id = $1', [chatId])) as { n: number }[];
      if (n > CHAT_LIMITS.groupMembersMax) throw DomainError.validation('userIds', 'too_many', 'Too many members');
      const addedIds = inserted.map((r) => r.user_id);
      const members = (await this.chats.members(chatId, m))
        .filter((r) => addedIds.includes(r.user_id) && cards.has(r.user_id))
        .map((r) => toMemberView(r, cards.get(r.user_id)!));
      return { event: await this.log.record(m, chatId, seq, 'chat:member-added', { members }), added: addedIds };
    });
    this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
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
      await m.query('DELETE FROM chat_members WHERE chat_id = $1 AND user_id = $2', [chatId, userId]);
      const removed = await this.log.record(m, chatId, seq, 'chat:member-removed', { userId, by: userId === viewerId ? null : viewerId });
      const heir = theirs === 'owner' ? await this.passOwnership(m, chatId) : null;
      if (!heir) return [removed];
      const next = await this.log.next(m, chatId, null);
      return [removed, await this.log.record(m, chatId, next.seq, 'chat:member-updated', { userId: heir, role: 'owner' })];
    });
    // Leave the room everywhere first, so nothing after this reaches the removed member.
    this.events.emit(NOTIFY.rooms, { chatId, userIds: [userId], action: 'leave' } satisfies RoomsNotification);
    this.events.emit(NOTIFY.users, notifyUsers([userId], 'chat:removed', { chatId }));
    for (const event of events) this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
  }

  async setRole(viewerId: string, chatId: string, userId: string, role: 'admin' | 'member'): Promise<MemberView> {
    const event = await this.db.transaction(async (m) => {
      const { seq, kind } = await this.log.next(m, chatId, viewerId);
      if (kind !== 'group') throw DomainError.notFound();
      if ((await this.chats.role(chatId, viewerId, m)) !== 'owner') throw new DomainError('FORBIDDEN', 'Only the owner can change roles');
      const theirs = await this.chats.role(chatId, userId, m);
      if (!theirs) throw DomainError.notFound();
      if (theirs === 'owner') throw new DomainError('FORBIDDEN', "The owner's role cannot change");
      await m.query('UPDATE chat_members SET role = $3 WHERE chat_id = $1 AND user_id = $2', [chatId, userId, role]);
      return this.log.record(m, chatId, seq, 'chat:member-updated', { userId, role });
    });
    this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
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
    const next = (await m.query(
      `SELECT user_id FROM chat_members WHERE chat_id = $1 ORDER BY (role = 'admin') DESC, joined_at, user_id LIMIT 1`,
      [chatId],
    )) as { user_id: string }[];
    if (!next[0]) return null;
    await m.query(`UPDATE chat_members SET role = 'owner' WHERE chat_id = $1 AND user_id = $2`, [chatId, next[0].user_id]);
    return next[0].user_id;
  }

  private async views(viewerId: string, chatId: string): Promise<MemberView[]> {
    const rows = await this.chats.members(chatId);
    const users = await this.people.views(viewerId, rows.map((r) => r.user_id));
    return rows.filter((r) => users.has(r.user_id)).map((r) => toMemberView(r, users.get(r.user_id)!));
  }
}
