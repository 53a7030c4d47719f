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
import type {
  ChatEvent,
  ChatEventsView,
  ChatRemovedPayload,
  ChatView,
  EditMessageRequest,
  MessageView,
  ReadView,
  SendMessageRequest,
  TypingPayload,
} from '../http/chats.js';

type ChatScoped<T> = T & { chatId: string };

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
  /** Chat-room events, each carrying the chat's seq (apply in order; fetch the gap when one is missed). */
  'message:created': (e: ChatEvent<'message:created'>) => void;
  'message:updated': (e: ChatEvent<'message:updated'>) => void;
  'message:deleted': (e: ChatEvent<'message:deleted'>) => void;
  'reaction:changed': (e: ChatEvent<'reaction:changed'>) => void;
  'chat:read': (e: ChatEvent<'chat:read'>) => void;
  'chat:renamed': (e: ChatEvent<'chat:renamed'>) => void;
  'chat:member-added': (e: ChatEvent<'chat:member-added'>) => void;
  'chat:member-removed': (e: ChatEvent<'chat:member-removed'>) => void;
  'chat:member-updated': (e: ChatEvent<'chat:member-updated'>) => void;
  /** Ephemeral: someone is typing (not logged, not replayed). */
  'chat:typing': (e: TypingPayload) => void;
  /** Personal: a chat appeared in my list, or my view of it changed (custom name, mute). */
  'chat:created': (chat: ChatView) => void;
  'chat:updated': (chat: ChatView) => void;
  /** Personal: I left or was removed; drop the chat. */
  'chat:removed': (payload: ChatRemovedPayload) => void;
  /** A hint that the client should refetch its state (e.g. after an adapter reconnect). */
  resync: () => void;
}

export interface ClientToServerEvents {
  ping: (payload: Record<string, never>, ack: AckFn<{ now: string }>) => void;
  'message:send': (req: ChatScoped<SendMessageRequest>, ack: AckFn<MessageView>) => void;
  'message:edit': (req: ChatScoped<EditMessageRequest & { messageId: string }>, ack: AckFn<MessageView>) => void;
  'message:delete': (req: ChatScoped<{ messageId: string }>, ack: AckFn<MessageView>) => void;
  'reaction:set': (req: ChatScoped<{ messageId: string; emoji: string; on: boolean }>, ack: AckFn<MessageView>) => void;
  'chat:read': (req: ChatScoped<{ seq: number }>, ack: AckFn<ReadView>) => void;
  'chat:typing': (req: { chatId: string }, ack: AckFn<null>) => void;
  /** Catch up: the events after `after`, or tooLong. */
  'chat:sync': (req: { chatId: string; after: number }, ack: AckFn<ChatEventsView>) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface InterServerEvents {}

export interface SocketData {
  userId: string;
  sessionId: string;
  tokenExpiresAt: number;
}
