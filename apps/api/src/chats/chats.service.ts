import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CHAT_LIMITS, CHAT_MUTE_FOREVER, type ChatView, type CreateChatRequest, type MuteChatRequest, type Page, type UpdateMyChatRequest, type UserView } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { NOTIFY, notifyUsers, type ChatNotification, type RoomsNotification } from '../common/events/notifications.js';
import { ChatLogRepository } from './chat-log.repository.js';
import { ChatsRepository, type ChatRow } from './chats.repository.js';
import { toChatView } from './chats.mapper.js';
import { DEFAULT_PAGE_SIZE, isUuid, slicePage, timeCursor, timeKeyOf } from '../common/pagination/cursor.js';
import { LAST_MESSAGES, type LastMessages } from './last-messages.js';
import { UserViewsService } from '../friendships/user-views.service.js';
import { cleanTitle } from './chat-text.js';
import { ServiceMessages } from './service-messages.js';

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
    @Inject(LAST_MESSAGES) private readonly messages: LastMessages,
    private readonly people: UserViewsService,
    private readonly log: ChatLogRepository,
    private readonly service: ServiceMessages,
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
    // Nobody is in the chat's room yet: the chat list (announce) carries the service message as the last one.
    const chatId = await this.db.transaction(async (m) => {
      const id = await this.chats.insertGroup(m, title, viewerId, ids);
      await this.service.post(m, id, viewerId, { type: 'group-created', title });
      return id;
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
    const created = await this.db.transaction((m) => this.chats.insertDirect(m, key, viewerId, userId));
    if (!created) return { chat: await this.get(viewerId, (await this.chats.directChatId(key))!), created: false };
    // Both join the room; the other person's list shows the dialog with its first message.
    await this.announce(created, [viewerId, userId], [viewerId]);
    return { chat: await this.get(viewerId, created), created: true };
  }

  async rename(viewerId: string, chatId: string, rawTitle: string): Promise<ChatView> {
    const title = cleanTitle(rawTitle);
    if (!title) throw DomainError.validation('title', 'required', 'Title must not be empty');
    const events = await this.db.transaction(async (m) => {
      const { seq, kind } = await this.log.next(m, chatId, viewerId);
      if (kind !== 'group') throw new DomainError('FORBIDDEN', 'Dialogs have no shared title; set your own name for it');
      const role = await this.chats.role(chatId, viewerId, m);
      if (role === 'member') throw new DomainError('FORBIDDEN', 'Only admins can rename the group');
      await this.chats.setTitle(m, chatId, title);
      const renamed = await this.log.record(m, chatId, seq, 'chat:renamed', { title });
      return [renamed, await this.service.post(m, chatId, viewerId, { type: 'group-renamed', title })];
    });
    for (const event of events) this.events.emit(NOTIFY.chat, { event } satisfies ChatNotification);
    return this.get(viewerId, chatId);
  }

  async updateMine(viewerId: string, chatId: string, req: UpdateMyChatRequest): Promise<ChatView> {
    await this.get(viewerId, chatId);
    const name = req.customName === undefined ? undefined : cleanTitle(req.customName) || null;
    await this.chats.updateMine(chatId, viewerId, { customName: name, muted: req.muted });
    const chat = await this.get(viewerId, chatId);
    this.events.emit(NOTIFY.users, notifyUsers([viewerId], 'chat:updated', chat));
    return chat;
  }

  /** Mutes the chat for the viewer (until a time, for ever, or off); "mentions only" is for groups. */
  async mute(viewerId: string, chatId: string, req: MuteChatRequest): Promise<ChatView> {
    const current = await this.get(viewerId, chatId);
    let until: Date | 'infinity' | null = null;
    if (req.until === CHAT_MUTE_FOREVER) until = 'infinity';
    else if (req.until !== null) {
      until = new Date(req.until);
      if (Number.isNaN(until.getTime())) throw DomainError.validation('until', 'invalid', 'until must be an ISO time, "forever" or null');
      if (until.getTime() <= Date.now()) throw DomainError.validation('until', 'past', 'until must be in the future');
    }
    if (req.mentionsOnly && current.kind !== 'group') throw DomainError.validation('mentionsOnly', 'groups_only', 'Only groups can be muted except for mentions');
    await this.chats.setMute(chatId, viewerId, until, req.mentionsOnly ?? false);
    const chat = await this.get(viewerId, chatId);
    this.events.emit(NOTIFY.users, notifyUsers([viewerId], 'chat:updated', chat));
    return chat;
  }

  /** Views for many rows: peers and last messages fetched in one go each. */
  async views(viewerId: string, rows: ChatRow[]): Promise<ChatView[]> {
    const peerIds = rows.map((r) => r.peer_id).filter((id): id is string => id !== null);
    const [peers, last] = await Promise.all([
      this.people.views(viewerId, peerIds, { keepHidden: true }),
      this.messages.latestIn(rows.map((r) => r.id), viewerId),
    ]);
    const senderIds = [...new Set([...last.values()].map((m) => m.senderId))];
    const senders = senderIds.length > 0 ? await this.people.cards(senderIds) : new Map<string, UserView>();
    return rows.map((r) => {
      const lastMessage = last.get(r.id) ?? null;
      const sender = lastMessage ? (senders.get(lastMessage.senderId)?.displayName ?? null) : null;
      return toChatView(r, r.peer_id ? (peers.get(r.peer_id) ?? null) : null, lastMessage, sender);
    });
  }

  /** Who the viewer may put in a group: visible, not blocked, and whose "who may add me to groups" allows them. */
  async requireAddable(viewerId: string, ids: string[]): Promise<void> {
    if (!ids.every(isUuid)) throw DomainError.validation('userIds', 'invalid', 'userIds must be user ids');
    const visible = await this.people.views(viewerId, ids);
    for (const id of ids) {
      if (!visible.get(id)?.canAddToGroup) {
        throw new DomainError('VALIDATION_FAILED', 'Invalid input', [
          { field: 'userIds', code: 'not_allowed', message: 'Some of these people cannot be added' },
        ]);
      }
    }
  }

  /** New members' sockets join the room everywhere; each (of `listed`) gets the chat as they see it. */
  async announce(chatId: string, userIds: string[], listed: string[] = userIds): Promise<void> {
    this.events.emit(NOTIFY.rooms, { chatId, userIds, action: 'join' } satisfies RoomsNotification);
    for (const userId of listed) {
      const row = await this.chats.chatFor(userId, chatId);
      if (row) this.events.emit(NOTIFY.users, notifyUsers([userId], 'chat:created', (await this.views(userId, [row]))[0]));
    }
  }
}
