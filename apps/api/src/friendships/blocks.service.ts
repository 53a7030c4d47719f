import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { BlockView, Page, PageQuery } from '@app/contracts';
import { DomainError } from '../common/errors/domain-error.js';
import { DEFAULT_PAGE_SIZE, slicePage, timeCursor, timeKeyOf } from '../common/pagination/cursor.js';
import { BlocksRepository } from './blocks.repository.js';
import { FriendshipsNotifier } from './friendships.notifier.js';
import { FriendshipsRepository } from './friendships.repository.js';
import { toBlockView } from './friendships.mapper.js';
import { UserViewsService } from './user-views.service.js';

/** Blocking: the blocked user can no longer find, see (profile, presence), request or message the blocker. */
@Injectable()
export class BlocksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly blocks: BlocksRepository,
    private readonly friendships: FriendshipsRepository,
    private readonly views: UserViewsService,
    private readonly notifier: FriendshipsNotifier,
  ) {}

  async list(viewerId: string, query: PageQuery): Promise<Page<BlockView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = slicePage(await this.blocks.list(viewerId, timeKeyOf(query.cursor), limit + 1), limit);
    const views = await this.views.views(viewerId, page.rows.map((r) => r.blockedId), { keepHidden: true });
    const last = page.rows.at(-1);
    return {
      items: page.rows.flatMap((r) => { const user = views.get(r.blockedId); return user ? [toBlockView(r, user)] : []; }),
      nextCursor: page.more && last ? timeCursor(last.createdAt, last.blockedId) : null,
    };
  }

  /** Idempotent; ends the pair's friendship or pending request, whichever way it went. */
  async block(viewerId: string, userId: string): Promise<void> {
    const target = userId.toLowerCase();
    if (target === viewerId) throw DomainError.validation('userId', 'self', 'You cannot block yourself');
    const { added, ended } = await this.db.transaction(async (m) => {
      await this.friendships.lockPair(m, viewerId, target);
      if (!(await this.friendships.userExists(m, target))) throw DomainError.notFound();
      return { added: await this.blocks.insert(m, viewerId, target), ended: await this.friendships.deletePair(m, viewerId, target) };
    });
    if (added || ended) await this.notifier.pairChanged(viewerId, target, ended?.state === 'pending' ? ended : null);
  }

  async unblock(viewerId: string, userId: string): Promise<void> {
    const target = userId.toLowerCase();
    if (!(await this.blocks.remove(viewerId, target))) throw DomainError.notFound();
    await this.notifier.pairChanged(viewerId, target, null);
  }
}
