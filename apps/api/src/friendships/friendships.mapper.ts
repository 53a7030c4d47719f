import type { BlockView, FriendRequestView, FriendView, UserView } from '@app/contracts';
import type { BlockEntity } from './entities/block.entity.js';
import type { FriendshipEntity } from './entities/friendship.entity.js';

export const otherParty = (row: FriendshipEntity, userId: string): string => (row.userLow === userId ? row.userHigh : row.userLow);

export function toFriendView(user: UserView, since: Date): FriendView {
  return { user, since: since.toISOString() };
}

/** A pending request as one of its two parties sees it. */
export function toRequestView(viewerId: string, row: FriendshipEntity, user: UserView): FriendRequestView {
  return {
    id: row.id,
    user,
    direction: row.requesterId === viewerId ? 'outgoing' : 'incoming',
    createdAt: row.createdAt.toISOString(),
  };
}

export function toBlockView(row: BlockEntity, user: UserView): BlockView {
  return { user, createdAt: row.createdAt.toISOString() };
}
