import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import type { PresenceChangedPayload } from '@app/contracts';
import { NOTIFY, notifyUsers } from '../common/events/notifications.js';
import { PRESENCE_EVENTS, type PresenceChangedEvent } from '../presence/presence.events.js';
import { UsersService } from '../users/users.service.js';
import { FriendshipsRepository } from './friendships.repository.js';

/**
 * Live presence goes to the user's friends when privacy.presence is "everyone" or "friends";
 * never with "nobody", never across a block. (Others read presence from REST views.)
 */
@Injectable()
export class PresenceFanout {
  private readonly logger = new Logger(PresenceFanout.name);

  constructor(
    private readonly users: UsersService,
    private readonly friendships: FriendshipsRepository,
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
}
