import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CountersView, FriendRequestDirection, FriendRequestView, FriendView, Page, PageQuery, UserView } from '@app/contracts';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError } from '../common/errors/domain-error.js';
import { violates } from '../database/sql.js';
import { RateLimitService, type RateRule } from '../common/rate-limit/rate-limit.service.js';
import { DEFAULT_PAGE_SIZE, slicePage, timeCursor, timeKeyOf } from '../common/pagination/cursor.js';
import type { FriendshipEntity } from './entities/friendship.entity.js';
import { FriendshipsNotifier } from './friendships.notifier.js';
import { FriendshipsRepository } from './friendships.repository.js';
import { otherParty, toFriendView, toRequestView } from './friendships.mapper.js';
import { UserViewsService } from './user-views.service.js';

export type SendOutcome =
  | { kind: 'requested'; request: FriendRequestView }
  | { kind: 'accepted'; friend: FriendView };

/** Friend requests and friendships: one row per pair, every transition guarded by its current state. */
@Injectable()
export class FriendshipsService {
  private readonly requestRule: RateRule;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: FriendshipsRepository,
    private readonly views: UserViewsService,
    private readonly notifier: FriendshipsNotifier,
    private readonly limits: RateLimitService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.requestRule = { name: 'friend-request', points: config.rate.friendRequestsPerHour, durationSeconds: 3600 };
  }

  async list(viewerId: string, query: PageQuery): Promise<Page<FriendView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = slicePage(await this.repo.friends(viewerId, timeKeyOf(query.cursor), limit + 1), limit);
    const views = await this.views.views(viewerId, page.rows.map((r) => r.otherId));
    const last = page.rows.at(-1);
    return {
      items: page.rows.flatMap((r) => { const user = views.get(r.otherId); return user ? [toFriendView(user, r.acceptedAt)] : []; }),
      nextCursor: page.more && last ? timeCursor(last.acceptedAt, last.id) : null,
    };
  }

  async requests(viewerId: string, direction: FriendRequestDirection, query: PageQuery): Promise<Page<FriendRequestView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = slicePage(await this.repo.requests(viewerId, direction, timeKeyOf(query.cursor), limit + 1), limit);
    const views = await this.views.views(viewerId, page.rows.map((r) => otherParty(r, viewerId)));
    const last = page.rows.at(-1);
    return {
      items: page.rows.flatMap((r) => { const user = views.get(otherParty(r, viewerId)); return user ? [toRequestView(viewerId, r, user)] : []; }),
      nextCursor: page.more && last ? timeCursor(last.createdAt, last.id) : null,
    };
  }

  async counters(viewerId: string): Promise<CountersView> {
    return { friendRequests: await this.repo.countIncoming(viewerId) };
  }

  /**
   * Sends a request, or accepts theirs when the target already asked the viewer (so two people
   * asking each other at once end up friends, in one row).
   */
  async send(viewerId: string, targetId: string): Promise<SendOutcome> {
    const target = targetId.toLowerCase();
    if (target === viewerId) throw DomainError.validation('userId', 'self', 'You cannot send a friend request to yourself');
    await this.limits.consume(this.requestRule, viewerId);
    const row = await this.sendOnce(viewerId, target).catch((e: unknown) => {
      if (violates(e, 'friendships_pair_uq')) return this.sendOnce(viewerId, target);
      throw e;
    });
    if (row.state === 'accepted') {
      await this.notifier.pairChanged(row.requesterId, row.addresseeId, row);
      return { kind: 'accepted', friend: toFriendView(await this.viewOf(viewerId, target), row.acceptedAt ?? row.createdAt) };
    }
    await this.notifier.requestCreated(row);
    return { kind: 'requested', request: toRequestView(viewerId, row, await this.viewOf(viewerId, target)) };
  }

  /** Only the addressee may accept; anyone else (the requester included) gets a 404. */
  async accept(viewerId: string, requestId: string): Promise<FriendView> {
    const row = await this.repo.acceptPending(requestId.toLowerCase(), viewerId);
    if (!row) throw DomainError.notFound();
    await this.notifier.pairChanged(row.requesterId, row.addresseeId, row);
    return toFriendView(await this.viewOf(viewerId, row.requesterId), row.acceptedAt ?? row.createdAt);
  }

  async decline(viewerId: string, requestId: string): Promise<void> {
    await this.removePending(viewerId, requestId, 'addressee');
  }

  async cancel(viewerId: string, requestId: string): Promise<void> {
    await this.removePending(viewerId, requestId, 'requester');
  }

  async unfriend(viewerId: string, userId: string): Promise<void> {
    const row = await this.repo.deleteAccepted(viewerId, userId.toLowerCase());
    if (!row) throw DomainError.notFound();
    await this.notifier.pairChanged(viewerId, otherParty(row, viewerId), null);
  }

  private sendOnce(viewerId: string, target: string): Promise<FriendshipEntity> {
    return this.db.transaction(async (m) => {
      await this.repo.lockPair(m, viewerId, target);
      if (!(await this.repo.reachable(m, viewerId, target))) throw DomainError.notFound();
      const existing = await this.repo.findPair(m, viewerId, target);
      if (!existing) return this.repo.insertPending(m, viewerId, target);
      if (existing.state === 'accepted') throw new DomainError('CONFLICT', 'You are already friends');
      if (existing.requesterId === viewerId) throw new DomainError('CONFLICT', 'Friend request already sent');
      const accepted = await this.repo.acceptPending(existing.id, viewerId, m);
      if (!accepted) throw DomainError.notFound();
      return accepted;
    });
  }

  private async removePending(viewerId: string, requestId: string, party: 'requester' | 'addressee'): Promise<void> {
    const row = await this.repo.deletePending(requestId.toLowerCase(), party, viewerId);
    if (!row) throw DomainError.notFound();
    await this.notifier.pairChanged(row.requesterId, row.addresseeId, row);
  }

  private async viewOf(viewerId: string, userId: string): Promise<UserView> {
    const view = await this.views.view(viewerId, userId);
    if (!view) throw DomainError.notFound();
    return view;
  }
}
