import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import type { Audience, PresenceChangedPayload, PresenceView } from '@app/contracts';
import { NOTIFY, notifyUsers } from '../common/events/notifications.js';
import { PRESENCE_EVENTS, type PresenceChangedEvent } from '../presence/presence.events.js';
import { PresenceService } from '../presence/presence.service.js';
import { USER_EVENTS, type PresenceAudienceChangedEvent } from '../users/users.events.js';
import { toPresenceView } from '../users/users.mapper.js';
import { UsersService } from '../users/users.service.js';
import { FriendshipsRepository } from './friendships.repository.js';

/**
 * Live presence goes to everyone who may see it and is likely looking: with privacy.presence
 * "everyone", to friends and to everyone who shares a chat with the user; with "friends", to
 * friends; with "nobody", to no one; never across a block (the same rule as `rulesFor`). When the
 * user changes privacy.presence, all of those hear at once: the current state if they may still
 * see it, null otherwise.
 */
@Injectable()
export class PresenceFanout {
  private readonly logger = new Logger(PresenceFanout.name);

  constructor(
    private readonly users: UsersService,
    private readonly friendships: FriendshipsRepository,
    private readonly presence: PresenceService,
    private readonly events: EventEmitter2,
  ) {}

  @OnEvent(PRESENCE_EVENTS.changed)
  async presenceChanged(e: PresenceChangedEvent): Promise<void> {
    try {
      const user = await this.users.findById(e.userId);
      if (!user || user.privacyPresence === 'nobody') return;
      const audience = await this.friendships.presenceAudience(e.userId, user.privacyPresence === 'everyone');
      if (audience.length === 0) return;
      const payload: PresenceChangedPayload = { userId: e.userId, presence: { online: e.online, lastSeenAt: e.online ? null : e.lastSeenAt } };
      this.events.emit(NOTIFY.users, notifyUsers(audience.map((a) => a.id), 'presence:changed', payload));
    } catch (err) {
      this.logger.warn({ err }, 'presence fan-out failed');
    }
  }

  @OnEvent(USER_EVENTS.presenceAudienceChanged)
  async audienceChanged(e: PresenceAudienceChangedEvent): Promise<void> {
    try {
      const audience = await this.friendships.presenceAudience(e.userId, true);
      if (audience.length === 0) return;
      const allowed = (friend: boolean): boolean => mayFollow(e.audience, friend);
      const seeing = audience.filter((a) => allowed(a.friend)).map((a) => a.id);
      const hidden = audience.filter((a) => !allowed(a.friend)).map((a) => a.id);
      if (seeing.length > 0) {
        const online = (await this.presence.onlineSet([e.userId])).has(e.userId);
        const presence: PresenceView = toPresenceView(online, online ? null : ((await this.users.findById(e.userId))?.lastSeenAt ?? null));
        this.events.emit(NOTIFY.users, notifyUsers(seeing, 'presence:changed', { userId: e.userId, presence }));
      }
      if (hidden.length > 0) this.events.emit(NOTIFY.users, notifyUsers(hidden, 'presence:changed', { userId: e.userId, presence: null }));
    } catch (err) {
      this.logger.warn({ err }, 'presence fan-out after a privacy change failed');
    }
  }
}

function mayFollow(audience: Audience, friend: boolean): boolean {
  return audience === 'everyone' || (audience === 'friends' && friend);
}
