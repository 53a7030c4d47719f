import type { UserView, PresenceView } from './users.js';
import type { Relationship } from '../enums.js';

export interface FriendView {
  user: UserView;
  /** ISO time the friendship began. */
  since: string;
}

export type FriendRequestDirection = 'incoming' | 'outgoing';

export interface FriendRequestView {
  id: string;
  /** The other party. */
  user: UserView;
  direction: FriendRequestDirection;
  createdAt: string;
}

export interface SendFriendRequest {
  userId: string;
}

export interface BlockView {
  user: UserView;
  createdAt: string;
}

export interface UserSearchQuery {
  q: string;
  cursor?: string;
  limit?: number;
}

/** Live badge numbers for the app shell. */
export interface CountersView {
  /** Pending incoming friend requests. */
  friendRequests: number;
  /** Chats with unread messages. */
  unreadChats?: number;
  /** Unread messages in all chats (each chat's count capped at 100). */
  unreadMessages?: number;
}

/** Relationship of the viewer to each asked user id (unknown or hidden ids are left out). */
export type RelationshipsView = Record<string, Relationship>;

export interface RelationshipChangedPayload {
  userId: string;
  relationship: Relationship;
  /** The other user as the viewer may now see them (null when they are no longer visible). */
  user: UserView | null;
}

export interface FriendRequestRemovedPayload {
  requestId: string;
  userId: string;
}

export interface PresenceChangedPayload {
  userId: string;
  /** null: the user stopped showing presence to you (privacy changed); forget what you knew. */
  presence: PresenceView | null;
}
