import type { ImageView, UserView } from './users.js';
import type { LinkPreviewView, MessageView, PinView, ReactionView } from './messages.js';

export const CHAT_KINDS = ['direct', 'group'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

export const MEMBER_ROLES = ['owner', 'admin', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const CHAT_LIMITS = {
  titleMax: 128,
  /** A group's description. */
  descriptionMax: 500,
  customNameMax: 64,
  textMax: 4000,
  clientIdMax: 64,
  groupMembersMax: 200,
  reactionMax: 32,
  /** Messages forwarded by one request. */
  forwardMax: 100,
  /** Pinned messages per chat; pinning past it is refused (409), never silently dropped. */
  pinsMax: 100,
  /** Unread counts are exact up to this number; the UI shows "99+" past 99. */
  unreadCap: 100,
  /** Events older than this many behind the chat's head are not replayed: refetch instead. */
  eventWindow: 1000,
} as const;

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
  /** The group's picture (null for dialogs, which show the other person's avatar). */
  avatar: ImageView | null;
  /** The group's description (null for dialogs and when not set). */
  description: string | null;
  /** For a dialog: the other person. */
  peer: UserView | null;
  memberCount: number;
  myRole: MemberRole;
  lastMessage: MessageView | null;
  /** The display name of the last message's sender (for "Anna: hi" in group previews); null without one. */
  lastSenderName: string | null;
  lastActivityAt: string;
  /** The chat's event head: the newest seq. */
  lastSeq: number;
  lastReadSeq: number;
  /** Unread messages from others, capped at CHAT_LIMITS.unreadCap. */
  unread: number;
  /** Unread messages that @mention me (the chat list's @ badge), capped like `unread`. */
  unreadMentions: number;
  /** For dialogs: the other member's read pointer ("seen"); null when not shared. */
  peerReadSeq: number | null;
  /** Muted for the viewer until this ISO time, `forever`, or null (not muted). */
  mutedUntil: string | null;
  /** Muted except for mentions of the viewer (groups). */
  muteMentionsOnly: boolean;
  /** My unsent text in this chat, kept on the server for all my devices; null when none. */
  draft: DraftView | null;
}

/** A user's unsent text (and reply target) in one chat; `text` '' and no reply means cleared. */
export interface DraftView {
  chatId: string;
  text: string;
  replyToId: string | null;
  updatedAt: string;
}

export interface SaveDraftRequest {
  text: string;
  replyToId?: string | null;
}

export interface CreateChatRequest {
  /** One id: a dialog (opened if it exists). Several: a group, which needs a title. */
  userIds: string[];
  title?: string;
}

export interface RenameChatRequest {
  title: string;
}

export interface SetChatDescriptionRequest {
  /** Empty clears it; at most CHAT_LIMITS.descriptionMax characters. */
  description: string;
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
  'chat:profile-changed',
  'chat:member-added',
  'chat:member-removed',
  'chat:member-updated',
  'chat:pinned',
  'chat:unpinned',
  'message:preview',
  'message:listened',
] as const;
export type ChatEventType = (typeof CHAT_EVENT_TYPES)[number];

export interface ChatEventDataMap {
  'message:created': MessageView;
  'message:updated': MessageView;
  'message:deleted': MessageView;
  'reaction:changed': { messageId: string; reactions: ReactionView[] };
  'chat:read': { userId: string; lastReadSeq: number };
  'chat:renamed': { title: string };
  /** The group's picture or description changed (both given as they are now). */
  'chat:profile-changed': { avatar: ImageView | null; description: string | null };
  /** New members as viewer-neutral cards (name, avatar); fetch /members for your own view of them. */
  'chat:member-added': { members: MemberView[] };
  'chat:member-removed': { userId: string; by: string | null };
  'chat:member-updated': { userId: string; role: MemberRole };
  'chat:pinned': PinView;
  'chat:unpinned': { messageId: string };
  /** A message's link card arrived, or its sender removed it (preview null). */
  'message:preview': { messageId: string; preview: LinkPreviewView | null };
  /** Someone other than the sender played the message's voice message for the first time. */
  'message:listened': { messageId: string; userId: string };
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
  /** Messages among these events that the caller deleted for themselves: leave them out. */
  hidden?: string[];
}

export interface TypingPayload {
  chatId: string;
  userId: string;
}

export interface ChatRemovedPayload {
  chatId: string;
}
