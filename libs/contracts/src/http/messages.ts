import type { MemberRole } from './chats.js';
import type { MediaView } from './media.js';
import type { MessageEntity } from '../formatting.js';

/** Messages: their views, what sending, forwarding, editing and reading take, pins, edit history and search. */

export interface ReplyQuote {
  id: string;
  seq: number;
  senderId: string;
  senderName: string;
  /** First characters of the quoted text; null when it was deleted. */
  excerpt: string | null;
}

/**
 * Where a forwarded message came from: its first sender (a forward of a forward keeps the first)
 * and when they sent it. The sender is null when their privacy.forwards did not let everyone in
 * the chat it was forwarded to see their name, or their account is gone.
 */
export interface ForwardOrigin {
  userId: string | null;
  name: string | null;
  sentAt: string;
}

export interface ReactionView {
  emoji: string;
  userIds: string[];
}

/** Someone named in a service message, as they were named when it happened. */
export interface ServiceUser {
  id: string;
  name: string;
}

/**
 * What a service message records (a change to the group, shown as a centred line in the history
 * and as the chat list preview). The actor is the message's sender, named in `actor`.
 */
export type ServiceAction =
  | { type: 'group-created'; actor: ServiceUser; title: string }
  | { type: 'group-renamed'; actor: ServiceUser; title: string }
  | { type: 'members-added'; actor: ServiceUser; users: ServiceUser[] }
  | { type: 'member-removed'; actor: ServiceUser; user: ServiceUser }
  | { type: 'member-left'; actor: ServiceUser }
  | { type: 'role-changed'; actor: ServiceUser; user: ServiceUser; role: MemberRole }
  | { type: 'group-photo-changed'; actor: ServiceUser; removed: boolean };
export type ServiceActionType = ServiceAction['type'];

export interface MessageView {
  id: string;
  chatId: string;
  /** Grows within a chat in commit order; the history order. */
  seq: number;
  senderId: string;
  clientId: string;
  /** Plain text; null once deleted (a tombstone), and for service messages. */
  text: string | null;
  /** Its formatting: bold, italic, strikethrough, spoiler, code, code block and link ranges over `text` ([] when none). */
  entities: MessageEntity[];
  /**
   * Set for service messages (group created, renamed, members, roles): they have no text, count
   * as unread like any message from someone else, and cannot be edited, deleted, quoted or reacted to.
   */
  service: ServiceAction | null;
  replyTo: ReplyQuote | null;
  /** Set when this message is a forward of another. */
  forwardedFrom: ForwardOrigin | null;
  mentions: string[];
  reactions: ReactionView[];
  /** Photos and videos in upload order; always present, [] when none (and once deleted). */
  attachments: MediaView[];
  /** The card of the first http(s) link, fetched by the server after the send (null until then, when none, or removed). */
  preview: LinkPreviewView | null;
  /** Members other than the sender who have played its voice message, first listener first ([] when none or no voice). */
  listenedBy: string[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

/** A link's card as the server fetched it: plain text only, the image re-encoded by the server. */
export interface LinkPreviewView {
  url: string;
  title: string | null;
  description: string | null;
  siteName: string | null;
  /** A small WebP served by the API, or null when the page named none (or it could not be read). */
  image: { url: string; width: number; height: number } | null;
}

/** A pinned message of a chat. */
export interface PinView {
  message: MessageView;
  /** Who pinned it (null once their account is gone). */
  pinnedBy: string | null;
  pinnedAt: string;
}

/** A chat's pins, most recently pinned first (deleted messages drop out). */
export interface PinsView {
  items: PinView[];
}

/** One version of a message's text: when it was written (sent, or edited to it). */
export interface MessageVersionView {
  text: string;
  entities: MessageEntity[];
  writtenAt: string;
}

/** A message's versions, oldest first; the last is its current text. */
export interface MessageHistoryView {
  messageId: string;
  versions: MessageVersionView[];
}

export interface SendMessageRequest {
  /** Chosen by the client, unique per sender: a retry with the same id stores nothing new. */
  clientId: string;
  /** Plain text (the composer turns its marks into `entities`); may be empty when `mediaIds` is not. */
  text: string;
  /** Formatting ranges over `text` (see formatting.ts); a range that does not fit answers 400. */
  entities?: MessageEntity[];
  replyToId?: string;
  /**
   * Media uploaded by the sender (POST /api/media) and not sent yet, shown in this order. More than
   * MediaLimitsView.maxFilesPerMessage answers 413; a foreign, missing or already sent id answers 400.
   */
  mediaIds?: string[];
  /**
   * Also ends my draft of this chat once the message is stored (as Telegram's clear_draft): a
   * client sets it when it held a draft there, so a send without one costs nothing more.
   */
  clearDraft?: boolean;
}

/**
 * Forwards messages of a chat the sender is a member of into another (or the same) chat, in
 * their order there, with their photos and videos (the files are shared, not copied). Each
 * becomes a new message of the sender's; `clientId` makes a retry store nothing new.
 */
export interface ForwardMessagesRequest {
  /** Chosen by the client, at most 60 characters: the new messages take `${clientId}-${index}`. */
  clientId: string;
  fromChatId: string;
  /** 1 to CHAT_LIMITS.forwardMax messages of `fromChatId`, no service messages, none deleted. */
  messageIds: string[];
}

/** The forwarded messages as stored in the target chat, in order. */
export interface ForwardedView {
  items: MessageView[];
}

export interface EditMessageRequest {
  text: string;
  /** The new formatting; none when left out. */
  entities?: MessageEntity[];
}

export interface ReadRequest {
  /** Everything up to this seq has been seen. */
  seq: number;
}

export interface ReadView {
  lastReadSeq: number;
  unread: number;
  unreadMentions: number;
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

/** The messages (from a seq on) I deleted for myself in a chat: a device back online drops them. */
export interface HiddenMessagesView {
  messageIds: string[];
}

/** Personal: a message I deleted for myself (on any of my devices). */
export interface MessageHiddenPayload {
  chatId: string;
  messageId: string;
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
