import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ChatEvent, MemberRole, ServiceAction, ServiceUser } from '@app/contracts';
import { ChatLogRepository } from './chat-log.repository.js';
import { ChatsRepository } from './chats.repository.js';
import { LAST_MESSAGES, type LastMessages } from './last-messages.js';

/** A service action without the names, which `post` fills in from the users table. */
export type ServiceDraft =
  | { type: 'group-created' | 'group-renamed'; title: string }
  | { type: 'members-added'; userIds: string[] }
  | { type: 'member-removed'; userId: string }
  | { type: 'member-left' }
  | { type: 'role-changed'; userId: string; role: MemberRole }
  | { type: 'group-photo-changed'; removed: boolean };

/**
 * Writes a change to a group into its history as a service message, inside the change's own
 * transaction: it takes the chat's next seq, becomes the chat's last message and is logged as
 * `message:created`, so live clients, catch-up and the chat list all see it like any message.
 */
@Injectable()
export class ServiceMessages {
  constructor(
    private readonly chats: ChatsRepository,
    @Inject(LAST_MESSAGES) private readonly views: LastMessages,
    private readonly log: ChatLogRepository,
  ) {}

  async post(m: EntityManager, chatId: string, actorId: string, draft: ServiceDraft): Promise<ChatEvent<'message:created'>> {
    const named = await this.chats.serviceUsers(m, [actorId, ...idsOf(draft)]);
    const who = (id: string): ServiceUser => named.get(id) ?? { id, name: '' };
    const action = toAction(draft, who(actorId), who);
    const id = randomUUID();
    const { seq } = await this.log.next(m, chatId, null, { messageId: id });
    await this.chats.insertService(m, id, chatId, seq, actorId, action);
    return this.log.record(m, chatId, seq, 'message:created', (await this.views.byId(id, m))!);
  }
}

function idsOf(d: ServiceDraft): string[] {
  if (d.type === 'members-added') return d.userIds;
  if (d.type === 'member-removed' || d.type === 'role-changed') return [d.userId];
  return [];
}

function toAction(d: ServiceDraft, actor: ServiceUser, who: (id: string) => ServiceUser): ServiceAction {
  switch (d.type) {
    case 'group-created':
    case 'group-renamed':
      return { type: d.type, actor, title: d.title };
    case 'members-added':
      return { type: d.type, actor, users: d.userIds.map(who) };
    case 'member-removed':
      return { type: d.type, actor, user: who(d.userId) };
    case 'member-left':
      return { type: d.type, actor };
    case 'role-changed':
      return { type: d.type, actor, user: who(d.userId), role: d.role };
    case 'group-photo-changed':
      return { type: d.type, actor, removed: d.removed };
  }
}
