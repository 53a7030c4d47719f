import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { RelationshipChangedPayload } from '@app/contracts';
import { NOTIFY, notifyUsers, type ServerEvent, type ServerPayload } from '../common/events/notifications.js';
import type { FriendshipEntity } from './entities/friendship.entity.js';
import { FRIENDSHIP_EVENTS, type RelationshipChangedEvent } from './friendships.events.js';
import { FriendshipsRepository } from './friendships.repository.js';
import { toRequestView } from './friendships.mapper.js';
import { UserViewsService } from './user-views.service.js';

/**
 * Tells both parties of a committed change, each with their own view of the other; called only
 * after the transaction committed. Payloads are read fresh, so they carry the current truth.
 * A failure here never undoes or fails the change itself (clients refetch on reconnect).
 */
@Injectable()
export class FriendshipsNotifier {
  private readonly logger = new Logger(FriendshipsNotifier.name);

  constructor(
    private readonly views: UserViewsService,
    private readonly repo: FriendshipsRepository,
    private readonly events: EventEmitter2,
  ) {}

  /** A new pending request: both parties see it and their new relationship; the addressee's counter moves. */
  async requestCreated(row: FriendshipEntity): Promise<void> {
    await this.safely(async () => {
      for (const [viewer, other] of [[row.addresseeId, row.requesterId], [row.requesterId, row.addresseeId]]) {
        const user = await this.views.view(viewer, other);
        if (user) this.send([viewer], 'friend:request-created', toRequestView(viewer, row, user));
      }
      await this.relationship(row.requesterId, row.addresseeId);
      await this.counters(row.addresseeId);
    });
  }

  /**
   * The relationship of a pair changed (accept, decline, cancel, unfriend, block, unblock);
   * `endedRequest` is a pending request that stopped being one in the change.
   */
  async pairChanged(a: string, b: string, endedRequest: FriendshipEntity | null): Promise<void> {
    await this.safely(async () => {
      if (endedRequest) {
        this.send([endedRequest.requesterId], 'friend:request-removed', { requestId: endedRequest.id, userId: endedRequest.addresseeId });
        this.send([endedRequest.addresseeId], 'friend:request-removed', { requestId: endedRequest.id, userId: endedRequest.requesterId });
      }
      await this.relationship(a, b);
      if (endedRequest) await this.counters(endedRequest.addresseeId);
    });
  }

  private async relationship(a: string, b: string): Promise<void> {
    const [aSeesB, bSeesA] = await Promise.all([this.views.view(a, b), this.views.view(b, a)]);
    this.send([a], 'relationship:changed', payload(b, aSeesB));
    this.send([b], 'relationship:changed', payload(a, bSeesA));
    const event: RelationshipChangedEvent = { userIds: [a, b] };
    this.events.emit(FRIENDSHIP_EVENTS.relationshipChanged, event);
  }

  private async counters(userId: string): Promise<void> {
    this.send([userId], 'counters:changed', { friendRequests: await this.repo.countIncoming(userId) });
  }

  private send<E extends ServerEvent>(userIds: string[], event: E, ...args: ServerPayload<E>): void {
    this.events.emit(NOTIFY.users, notifyUsers(userIds, event, ...args));
  }

  private async safely(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.logger.warn({ err }, 'could not notify a committed relationship change');
    }
  }
}

function payload(userId: string, user: RelationshipChangedPayload['user']): RelationshipChangedPayload {
  return { userId, relationship: user?.relationship ?? 'none', user };
}
