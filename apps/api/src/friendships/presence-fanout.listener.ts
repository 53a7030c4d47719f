import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import type { PresenceChangedPayload, PresenceView } from '@app/contracts';
import { NOTIFY, notifyUsers } from '../common/events/notifications.js';
import { PRESENCE_EVENTS, type PresenceChangedEvent } from '../presence/presence.events.js';
import { PresenceService } from '../presence/presence.service.js';
import { USER_EVENTS, type PresenceAudienceChangedEvent } from '../users/users.events.js';
import { toPresenceView } from '../users/users.mapper.js';
import { UsersService } from '../users/users.service.js';
import { FriendshipsRepository } from './friendships.repository.js';

/**
 * Live presence goes to the user's friends when privacy.presence is "everyone" or "friends";
 * never with "nobody", never across a block. (Others read presence from REST views.) When the
 * user changes privacy.presence, friends hear at once: null for "nobody", the current state otherwise.
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
      const friends = await this.friendships.friendIds(e.userId);
      if (friends.length === 0) return;
      const payload: PresenceChangedPayload = { userId: e.userId, presence: { online: e.online, lastSeenAt: e.online ? null : e.lastSeenAt } };
      this.events.emit(NOTIFY.users, notifyUsers(friends, 'presence:changed', payload));
    } catch (err) {
      this.logger.warn({ err }, 'presence fan-out failed');
    }
  }

  @OnEvent(USER_EVENTS.presenceAudienceChanged)
  async audienceChanged(e: PresenceAudienceChangedEvent): Promise<void> {
    try {
      const friends = await this.friendships.friendIds(e.userId);
      if (friends.length === 0) return;
      let presence: PresenceView | null = null;
      if (e.audience !== 'nobody') {
        const online = (await this.presence.onlineSet([e.userId])).has(e.userId);
        presence = toPresenceView(online, online ? null : ((await this.users.findById(e.userId))?.lastSeenAt ?? null));
      }
      const payload: PresenceChangedPayload = { userId: e.userId, presence };
      this.events.emit(NOTIFY.users, notifyUsers(friends, 'presence:changed', payload));
    } catch (err) {
      this.logger.warn({ err }, 'presence fan-out after a privacy change failed');
    }
  }
}
