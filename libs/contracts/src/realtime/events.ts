import type { ApiError } from '../errors.js';
import type { ServerShutdownReason, SessionClosedReason } from '../enums.js';
import type { MeView } from '../http/users.js';
import type {
  CountersView,
  FriendRequestRemovedPayload,
  FriendRequestView,
  PresenceChangedPayload,
  RelationshipChangedPayload,
} from '../http/friends.js';
import type { ChatEvent, ChatEventsView, ChatRemovedPayload, ChatView, DraftView, SaveDraftRequest, TypingPayload } from '../http/chats.js';
import type {
  EditMessageRequest,
  ForwardedView,
  ForwardMessagesRequest,
  MessageHiddenPayload,
  MessageHistoryView,
  MessageView,
  PinView,
  PinsView,
  ReadView,
  SendMessageRequest,
} from '../http/messages.js';

type ChatScoped<T> = T & { chatId: string };

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };
export type AckFn<T> = (reply: Ack<T>) => void;

export interface SessionClosedPayload {
  reason: SessionClosedReason;
}

/**
 * The instance holding this socket is stopping. It answers the events already sent, then closes
 * the socket (reason "io server disconnect"); the client reconnects at once (the load balancer
 * sends it to another instance) and catches up as after any reconnect. Events sent after this
 * are answered `UNAVAILABLE` with `retryAfterMs`: send them again once reconnected.
 */
export interface ServerShutdownPayload {
  reason: ServerShutdownReason;
}

export interface ServerToClientEvents {
  'session:closed': (payload: SessionClosedPayload) => void;
  'server:shutdown': (payload: ServerShutdownPayload) => void;
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
  'message:listened': (e: ChatEvent<'message:listened'>) => void;
  'reaction:changed': (e: ChatEvent<'reaction:changed'>) => void;
  'chat:read': (e: ChatEvent<'chat:read'>) => void;
  'chat:renamed': (e: ChatEvent<'chat:renamed'>) => void;
  'chat:profile-changed': (e: ChatEvent<'chat:profile-changed'>) => void;
  'chat:member-added': (e: ChatEvent<'chat:member-added'>) => void;
  'chat:member-removed': (e: ChatEvent<'chat:member-removed'>) => void;
  'chat:member-updated': (e: ChatEvent<'chat:member-updated'>) => void;
  'chat:pinned': (e: ChatEvent<'chat:pinned'>) => void;
  'chat:unpinned': (e: ChatEvent<'chat:unpinned'>) => void;
  'message:preview': (e: ChatEvent<'message:preview'>) => void;
  /** Ephemeral: someone is typing (not logged, not replayed). */
  'chat:typing': (e: TypingPayload) => void;
  /** Personal: a chat appeared in my list, or my view of it changed (custom name, mute). */
  'chat:created': (chat: ChatView) => void;
  'chat:updated': (chat: ChatView) => void;
  /** Personal: I deleted a message for myself (on this or another device); drop it from the history. */
  'message:hidden': (payload: MessageHiddenPayload) => void;
  /** Personal: my draft in a chat changed on one of my devices (or was cleared by a send). */
  'draft:changed': (draft: DraftView) => void;
  /** Personal: I left or was removed; drop the chat. */
  'chat:removed': (payload: ChatRemovedPayload) => void;
  /** A hint that the client should refetch its state (e.g. after an adapter reconnect). */
  resync: () => void;
}

/**
 * Every client event carries an ack callback and gets exactly one reply; one sent without it is
 * refused (not executed), except `chat:typing`, which may be fire-and-forget. An event whose JSON
 * payload is larger than SOCKET_EVENT_MAX_BYTES (64 KiB by default) is answered PAYLOAD_TOO_LARGE.
 */
export interface ClientToServerEvents {
  ping: (payload: Record<string, never>, ack: AckFn<{ now: string }>) => void;
  'message:send': (req: ChatScoped<SendMessageRequest>, ack: AckFn<MessageView>) => void;
  'message:edit': (req: ChatScoped<EditMessageRequest & { messageId: string }>, ack: AckFn<MessageView>) => void;
  'message:delete': (req: ChatScoped<{ messageId: string }>, ack: AckFn<MessageView>) => void;
  /** Forwards messages of `fromChatId` into `chatId` (see ForwardMessagesRequest). */
  'message:forward': (req: ChatScoped<ForwardMessagesRequest>, ack: AckFn<ForwardedView>) => void;
  /** Delete for me: hides the message from my history on all my devices (others still see it). */
  'message:hide': (req: ChatScoped<{ messageId: string }>, ack: AckFn<null>) => void;
  /** I played the message's voice message: the sender and my other devices see it as listened. */
  'message:listen': (req: ChatScoped<{ messageId: string }>, ack: AckFn<MessageView>) => void;
  'reaction:set': (req: ChatScoped<{ messageId: string; emoji: string; on: boolean }>, ack: AckFn<MessageView>) => void;
  'chat:read': (req: ChatScoped<{ seq: number }>, ack: AckFn<ReadView>) => void;
  'chat:typing': (req: { chatId: string }, ack: AckFn<null>) => void;
  /** Catch up: the events after `after`, or tooLong. */
  'chat:sync': (req: { chatId: string; after: number }, ack: AckFn<ChatEventsView>) => void;
  /** Keeps my unsent text (and reply target) for a chat; '' with no reply clears it. */
  'draft:save': (req: ChatScoped<SaveDraftRequest>, ack: AckFn<DraftView>) => void;
  /** A message's versions, oldest first (every member may read them). */
  'message:history': (req: ChatScoped<{ messageId: string }>, ack: AckFn<MessageHistoryView>) => void;
  'pin:list': (req: { chatId: string }, ack: AckFn<PinsView>) => void;
  'pin:add': (req: ChatScoped<{ messageId: string }>, ack: AckFn<PinView>) => void;
  'pin:remove': (req: ChatScoped<{ messageId: string }>, ack: AckFn<null>) => void;
  /** The sender removes their message's link card (members get 'message:preview' with preview null). */
  'message:preview-remove': (req: ChatScoped<{ messageId: string }>, ack: AckFn<null>) => void;
  /** Whether this tab is visible: a connected, visible tab of a session gets no push notifications. */
  'presence:visibility': (req: { visible: boolean }, ack: AckFn<null>) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface InterServerEvents {}

export interface SocketData {
  userId: string;
  sessionId: string;
  tokenExpiresAt: number;
  /** The tab said it is visible (`presence:visibility`); unset = hidden. */
  visible?: boolean;
  /** When a visible tab last said it is hidden (epoch ms): it still saw what was sent before. */
  hiddenAt?: number;
}
