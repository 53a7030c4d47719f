import type { ApiError } from '../errors.js';
import type { SessionClosedReason } from '../enums.js';
import type { MeView } from '../http/users.js';
import type {
  CountersView,
  FriendRequestRemovedPayload,
  FriendRequestView,
  PresenceChangedPayload,
  RelationshipChangedPayload,
} from '../http/friends.js';

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };
export type AckFn<T> = (reply: Ack<T>) => void;

export interface SessionClosedPayload {
  reason: SessionClosedReason;
}

export interface ServerToClientEvents {
  'session:closed': (payload: SessionClosedPayload) => void;
  'me:updated': (me: MeView) => void;
  /** A friend request to or from me appeared. */
  'friend:request-created': (request: FriendRequestView) => void;
  /** A pending request was cancelled, declined, accepted or dropped by a block. */
  'friend:request-removed': (payload: FriendRequestRemovedPayload) => void;
  /** My relationship to a user changed (friends, request sent/received, none, blocked). */
  'relationship:changed': (payload: RelationshipChangedPayload) => void;
  'counters:changed': (counters: CountersView) => void;
  /** A user whose presence I may see went online or offline. */
  'presence:changed': (payload: PresenceChangedPayload) => void;
  /** A hint that the client should refetch its state (e.g. after an adapter reconnect). */
  resync: () => void;
}

export interface ClientToServerEvents {
  ping: (payload: Record<string, never>, ack: AckFn<{ now: string }>) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface InterServerEvents {}

export interface SocketData {
  userId: string;
  sessionId: string;
  tokenExpiresAt: number;
}
