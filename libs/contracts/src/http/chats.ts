import type { UserView } from './users.js';
import type { MediaView } from './media.js';

export const CHAT_KINDS = ['direct', 'group'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

export const MEMBER_ROLES = ['owner', 'admin', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const CHAT_LIMITS = {
  titleMax: 128,
  customNameMax: 64,
  textMax: 4000,
  clientIdMax: 64,
  groupMembersMax: 200,
  reactionMax: 32,
  /** Unread counts are exact up to this number; the UI shows "99+" past 99. */
  unreadCap: 100,
  /** Events older than this many behind the chat's head are not replayed: refetch instead. */
  eventWindow: 1000,
} as const;

export interface ReplyQuote {
  id: string;
  seq: number;
  senderId: string;
  senderName: string;
  /** First characters of the quoted text; null when it was deleted. */
  excerpt: string | null;
}

export interface ReactionView {
  emoji: string;
  userIds: string[];
}

export interface MessageView {
  id: string;
  chatId: string;
  /** Grows within a chat in commit order; the history order. */
  seq: number;
  senderId: string;
  clientId: string;
  /** Null once deleted (a tombstone). */
  text: string | null;
  replyTo: ReplyQuote | null;
  mentions: string[];
  reactions: ReactionView[];
  /** Photos and videos in upload order; always present, [] when none (and once deleted). */
  attachments: MediaView[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export interface MemberView {
  user: UserView;
  role: MemberRole;
  joinedAt: string;
  /** The member's read pointer (seq); used for "seen by". */
  lastReadSeq: number;
}

export interface ChatView {
  id: string;
  kind: ChatKind;
  /** Group title, or for a dialog the custom name or the other person's display name. */
  title: string;
  /** The group's own title (null for dialogs). */
  groupTitle: string | null;
  /** The viewer's own name for this chat, if set. */
  customName: string | null;
  /** For a dialog: the other person. */
  peer: UserView | null;
  memberCount: number;
  myRole: MemberRole;
  lastMessage: MessageView | null;
  lastActivityAt: string;
  /** The chat's event head: the newest seq. */
  lastSeq: number;
  lastReadSeq: number;
  /** Unread messages from others, capped at CHAT_LIMITS.unreadCap. */
  unread: number;
  /** For dialogs: the other member's read pointer ("seen"); null when not shared. */
  peerReadSeq: number | null;
}

export interface CreateChatRequest {
  /** One id: a dialog (opened if it exists). Several: a group, which needs a title. */
  userIds: string[];
  title?: string;
}

export interface RenameChatRequest {
  title: string;
}

export interface UpdateMyChatRequest {
  /** A personal name for the chat; empty string clears it. */
  customName?: string;
  muted?: boolean;
}

export interface AddMembersRequest {
  userIds: string[];
}

export interface UpdateMemberRequest {
  role: Exclude<MemberRole, 'owner'>;
}

export interface SendMessageRequest {
  /** Chosen by the client, unique per sender: a retry with the same id stores nothing new. */
  clientId: string;
  /** May be empty when `mediaIds` is not. */
  text: string;
  replyToId?: string;
  /**
   * Media uploaded by the sender (POST /api/media) and not sent yet, shown in this order. More than
   * MediaLimitsView.maxFilesPerMessage answers 413; a foreign, missing or already sent id answers 400.
   */
  mediaIds?: string[];
}

export interface EditMessageRequest {
  text: string;
}

export interface ReadRequest {
  /** Everything up to this seq has been seen. */
  seq: number;
}

export interface ReadView {
  lastReadSeq: number;
  unread: number;
}

export interface HistoryQuery {
  /** Messages with seq below this one (scrolling up). */
  before?: number;
  /** Messages with seq above this one. */
  after?: number;
  limit?: number;
}

export interface HistoryView {
  items: MessageView[];
  /** Whether more exist beyond the page in the asked direction. */
  hasMore: boolean;
}

/**
 * Every change in a chat, in seq order; the socket event name equals `type`. Every one of them
 * takes a seq, including 'chat:read': mark read only up to the seq of a message, never up to a
 * read event's own seq, or two readers would keep moving each other's pointers.
 */
export const CHAT_EVENT_TYPES = [
  'message:created',
  'message:updated',
  'message:deleted',
  'reaction:changed',
  'chat:read',
  'chat:renamed',
  'chat:member-added',
  'chat:member-removed',
  'chat:member-updated',
] as const;
export type ChatEventType = (typeof CHAT_EVENT_TYPES)[number];

export interface ChatEventDataMap {
  'message:created': MessageView;
  'message:updated': MessageView;
  'message:deleted': MessageView;
  'reaction:changed': { messageId: string; reactions: ReactionView[] };
  'chat:read': { userId: string; lastReadSeq: number };
  'chat:renamed': { title: string };
  /** New members as viewer-neutral cards (name, avatar); fetch /members for your own view of them. */
  'chat:member-added': { members: MemberView[] };
  'chat:member-removed': { userId: string; by: string | null };
  'chat:member-updated': { userId: string; role: MemberRole };
}

export interface ChatEvent<T extends ChatEventType = ChatEventType> {
  chatId: string;
  seq: number;
  type: T;
  data: ChatEventDataMap[T];
  at: string;
}

export type AnyChatEvent = { [K in ChatEventType]: ChatEvent<K> }[ChatEventType];

export interface ChatEventsView {
  events: AnyChatEvent[];
  /** The client is too far behind: refetch the chat and its visible messages instead. */
  tooLong: boolean;
  lastSeq: number;
}

export interface TypingPayload {
  chatId: string;
  userId: string;
}

export interface ChatRemovedPayload {
  chatId: string;
}

export interface MessageSearchQuery {
  q: string;
  chatId?: string;
  cursor?: string;
  limit?: number;
}

export interface MessageSearchHit {
  message: MessageView;
  chatTitle: string;
}
