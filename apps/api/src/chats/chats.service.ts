import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CHAT_LIMITS, type ChatView, type CreateChatRequest, type Page, type UpdateMyChatRequest } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, notifyUsers, type ChatNotification, type RoomsNotification } from '../common/events/notifications.js';
import { ChatLog } from './chat-log.js';
import { ChatsRepository, type ChatRow } from './chats.repository.js';
import { toChatView } from './chats.mapper.js';
import { DEFAULT_PAGE_SIZE, isUuid, slicePage, timeCursor, timeKeyOf } from '../common/pagination/cursor.js';
import { MessageViewsRepository } from './message-views.repository.js';
import { UserViewsService } from '../friendships/user-views.service.js';
import { cleanTitle } from './chat-text.js';

export interface Opened {
  chat: ChatView;
  created: boolean;
}

/** Chats as a member sees them: the list, one chat, opening a dialog, creating a group, naming. */
@Injectable()
export class ChatsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly chats: ChatsRepository,
    private readonly messages: MessageViewsRepository,
    private readonly people: UserViewsService,
    private readonly log: ChatLog,
    private readonly events: EventEmitter2,
  ) {}

  async list(viewerId: string, cursor: string | undefined, limit = DEFAULT_PAGE_SIZE): Promise<Page<ChatView>> {
    const page = slicePage(await this.chats.list(viewerId, limit + 1, timeKeyOf(cursor)), limit);
    const last = page.rows[page.rows.length - 1];
    return { items: await this.views(viewerId, page.rows), nextCursor: page.more ? timeCursor(last.last_message_at, last.id) : null };
  }

  /** The chat as this member sees it; a chat they are not in answers like a missing one. */
  async get(viewerId: string, chatId: string): Promise<ChatView> {
    const row = isUuid(chatId) ? await this.chats.chatFor(viewerId, chatId) : null;
    if (!row) throw DomainError.notFound();
    return (await this.views(viewerId, [row]))[0];
  }

  async create(viewerId: string, req: CreateChatRequest): Promise<Opened> {
    const ids = [...new Set(req.userIds)].filter((id) => id !== viewerId);
    if (ids.length === 0) throw DomainError.validation('userIds', 'empty', 'Pick at least one other person');
    if (ids.length === 1 && req.title === undefined) return this.openDirect(viewerId, ids[0]);
    const title = cleanTitle(req.title ?? '');
    if (!title) throw DomainError.validation('title', 'required', 'A group needs a title');
    if (ids.length + 1 > CHAT_LIMITS.groupMembersMax) throw DomainError.validation('userIds', 'too_many', 'Too many members');
    await this.requireAddable(viewerId, ids);
    const chatId = await this.db.transaction(async (m) => {
      const [chat] = (await m.query(
        `INSERT INTO chats (kind, title, created_by) VALUES ('group', $1, $2) RETURNING id`,
        [title, viewerId],
      )) as { id: string }[];
      await m.query(
        `INSERT INTO chat_members (chat_id, user_id, role) SELECT $1, u, CASE WHEN u = $2 THEN 'owner' ELSE 'member' END
           FROM unnest($3::uuid[]) AS u`,
        [chat.id, viewerId, [viewerId, ...ids]],
      );
      return chat.id;
    });
    await this.announce(chatId, [viewerId, ...ids]);
    return { chat: await this.get(viewerId, chatId), created: true };
  }

  /** Opens the one dialog of a pair, creating it if needed (the unique pair key decides races). */
  async openDirect(viewerId: string, userId: string): Promise<Opened> {
    if (!isUuid(userId) || userId === viewerId) throw DomainError.notFound();
    const key = [viewerId, userId].sort().join(':');
    const existing = await this.chats.directChatId(key);
    if (existing) return { chat: await this.get(viewerId, existing), created: false };
    if (!(await this.people.views(viewerId, [userId])).has(userId)) throw DomainError.notFound();
    if (!(await this.people.canMessage(viewerId, userId))) {
      throw new DomainError('FORBIDDEN', 'This person does not accept messages from you');
    }
    const created = await this.db.transaction(async (m) => {
      const rows = (await m.query(
        `INSERT INTO chats (kind, direct_key, created_by) VALUES ('direct', $1, $2) ON CONFLICT (direct_key) DO NOTHING RETURNING id`,
        [key, viewerId],
      )) as { id: string }[];
      if (rows.length === 0) return null;
      await m.query(`INSERT INTO chat_members (chat_id, user_id, role) VALUES ($1, $2, 'member'), ($1, $3, 'member')`, [rows[0].id, viewerId, userId]);
      return rows[0].id;
    });
    if (!created) return { chat: await this.get(viewerId, (await this.chats.directChatId(key))!), created: false };
    await this.announce(created, [viewerId, userId]);
    return { chat: await this.get(viewerId, created), created: true };
  }

  async rename(viewerId: string, chatId: string, rawTitle: string): Promise<ChatView> {
    const title = cleanTitle(rawTitle);
    if (!title) throw DomainError.validation('title', 'required', 'Title must not be empty');
    const event = await this.db.transaction(async (m) => {
      const { seq, kind } = await this.log.next(m, chatId, viewerId);
      if (kind !== 'group') throw new DomainError('FORBIDDEN', 'Dialogs have no shared title; set your own name for it');
      const role = await this.chats.role(chatId, viewerId, m);
      if (role === 'member') throw new DomainError('FORBIDDEN', 'Only admins can rename the group');
      await m.query('UPDATE chats SET title = $2 WHERE id = $1', [chatId, title]);
      return this.log.record(m, chatId, seq, 'chat:renamed', { title });
    });
    this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    return this.get(viewerId, chatId);
  }

  async updateMine(viewerId: string, chatId: string, req: UpdateMyChatRequest): Promise<ChatView> {
    await this.get(viewerId, chatId);
    const name = req.customName === undefined ? undefined : cleanTitle(req.customName) || null;
    await this.db.query(
      `UPDATE chat_members SET custom_name = CASE WHEN $3 THEN $4 ELSE custom_name END, muted = coalesce($5, muted)
        WHERE chat_id = $1 AND user_id = $2`,
      [chatId, viewerId, name !== undefined, name ?? null, req.muted ?? null],
    );
    const chat = await this.get(viewerId, chatId);
    this.events.emit(NOTIFY.users, notifyUsers([viewerId], 'chat:updated', chat));
    return chat;
  }

  /** Views for many rows: peers and last messages fetched in one go each. */
  async views(viewerId: string, rows: ChatRow[]): Promise<ChatView[]> {
    const peerIds = rows.map((r) => r.peer_id).filter((id): id is string => id !== null);
    const [peers, last] = await Promise.all([
      this.people.views(viewerId, peerIds),
      this.messages.latestIn(rows.map((r) => r.id)),
    ]);
    return rows.map((r) => toChatView(r, r.peer_id ? (peers.get(r.peer_id) ?? null) : null, last.get(r.id) ?? null));
  }

  /** Who the viewer may put in a group: visible, not blocked, and accepting messages from them. */
  async requireAddable(viewerId: string, ids: string[]): Promise<void> {
    if (!ids.every(isUuid)) throw DomainError.validation('userIds', 'invalid', 'userIds must be user ids');
    const visible = await this.people.views(viewerId, ids);
    for (const id of ids) {
      if (!visible.has(id) || !(await this.people.canMessage(viewerId, id))) {
        throw new DomainError('VALIDATION_FAILED', 'Invalid input', [
          { field: 'userIds', code: 'not_allowed', message: 'Some of these people cannot be added' },
        ]);
      }
    }
  }

  /** New members' sockets join the room everywhere; each gets the chat as they see it. */
  async announce(chatId: string, userIds: string[]): Promise<void> {
    this.events.emit(NOTIFY.rooms, { chatId, userIds, action: 'join' } satisfies RoomsNotification);
    for (const userId of userIds) {
      const row = await this.chats.chatFor(userId, chatId);
      if (row) this.events.emit(NOTIFY.users, notifyUsers([userId], 'chat:created', (await this.views(userId, [row]))[0]));
    }
  }
}
