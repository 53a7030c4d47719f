import { CHAT_LIMITS, type AnyChatEvent, type ChatView, type MemberView, type MessageView } from '@app/contracts';

/** Length of a reply quote's excerpt, as the API cuts it. */
export const QUOTE_EXCERPT_MAX = 140;

/** The name a chat shows: my own name for it, else the group title or the other person's name. */
export function chatDisplayTitle(chat: Pick<ChatView, 'kind' | 'customName' | 'groupTitle' | 'peer' | 'title'>): string {
  if (chat.customName) return chat.customName;
  if (chat.kind === 'group') return chat.groupTitle ?? chat.title;
  return chat.peer?.displayName ?? chat.title;
}

/** Whether a message counts as unread for `meId` with the read pointer at `lastReadSeq`. */
/**
 * What a snapshot of a chat brings that no chat event carries (my name for it, my mute, my draft,
 * the peer's profile), taken over a held view that is not at the snapshot's seq.
 */
export function mergeUnlogged(cur: ChatView, fresh: ChatView): ChatView {
  const next: ChatView = {
    ...cur,
    customName: fresh.customName,
    mutedUntil: fresh.mutedUntil,
    muteMentionsOnly: fresh.muteMentionsOnly,
    draft: fresh.draft,
    peer: fresh.peer ?? cur.peer,
  };
  return { ...next, title: chatDisplayTitle(next) };
}

export function isUnreadFor(m: MessageView, meId: string, lastReadSeq: number): boolean {
  return m.seq > lastReadSeq && m.senderId !== meId && m.deletedAt === null;
}

/**
 * Unread count from a loaded message window, or null when the window does not reach back to the
 * read pointer (then only the server knows). `items` are contiguous up to the chat's head.
 */
export function unreadFromWindow(items: readonly MessageView[], hasMoreOlder: boolean, meId: string, lastReadSeq: number): number | null {
  const oldest = items[0];
  const covers = !hasMoreOlder || (oldest !== undefined && oldest.seq <= lastReadSeq);
  if (!covers) return null;
  let n = 0;
  for (const m of items) if (isUnreadFor(m, meId, lastReadSeq)) n += 1;
  return Math.min(n, CHAT_LIMITS.unreadCap);
}

export interface ChatApplyResult {
  chat: ChatView;
  /** The unread count could not be derived from the event alone: recount from the window or the server. */
  unreadUnknown: boolean;
}

/** One chat-room event applied to the chat list's view of the chat (pure). */
export function applyEventToChat(chat: ChatView, e: AnyChatEvent, meId: string): ChatApplyResult {
  const next: ChatView = { ...chat, lastSeq: Math.max(chat.lastSeq, e.seq) };
  let unreadUnknown = false;
  switch (e.type) {
    case 'message:created': {
      const m = e.data;
      if (!next.lastMessage || m.seq >= next.lastMessage.seq) {
        // The sender's name is known here only for service messages; the store fills in the rest.
        if (next.lastMessage?.senderId !== m.senderId) next.lastSenderName = null;
        if (m.service) next.lastSenderName = m.service.actor.name;
        next.lastMessage = m;
      }
      if (Date.parse(m.createdAt) > Date.parse(next.lastActivityAt)) next.lastActivityAt = m.createdAt;
      if (isUnreadFor(m, meId, next.lastReadSeq)) {
        next.unread = Math.min(CHAT_LIMITS.unreadCap, next.unread + 1);
        if (m.mentions.includes(meId)) next.unreadMentions = Math.min(CHAT_LIMITS.unreadCap, next.unreadMentions + 1);
      }
      break;
    }
    case 'message:updated':
    case 'message:deleted': {
      const m = e.data;
      if (next.lastMessage?.id === m.id) next.lastMessage = m;
      if (e.type === 'message:deleted' && m.senderId !== meId && m.seq > next.lastReadSeq) {
        // At the cap the true count may still be at or above it: only the server can tell.
        if (next.unread >= CHAT_LIMITS.unreadCap) unreadUnknown = true;
        else next.unread = Math.max(0, next.unread - 1);
      }
      break;
    }
    case 'reaction:changed':
      if (next.lastMessage?.id === e.data.messageId) next.lastMessage = { ...next.lastMessage, reactions: e.data.reactions };
      break;
    case 'message:preview':
      if (next.lastMessage?.id === e.data.messageId) next.lastMessage = { ...next.lastMessage, preview: e.data.preview };
      break;
    case 'chat:read':
      if (e.data.userId === meId) {
        if (e.data.lastReadSeq > next.lastReadSeq) {
          next.lastReadSeq = e.data.lastReadSeq;
          if (next.unread > 0) {
            if (!next.lastMessage || next.lastMessage.seq <= next.lastReadSeq) next.unread = 0;
            else unreadUnknown = true;
          }
          if (next.unread === 0) next.unreadMentions = 0;
        }
      } else if (next.kind === 'direct' && next.peer?.id === e.data.userId) {
        next.peerReadSeq = Math.max(next.peerReadSeq ?? 0, e.data.lastReadSeq);
      }
      break;
    case 'chat:renamed':
      next.groupTitle = e.data.title;
      next.title = chatDisplayTitle(next);
      break;
    case 'chat:profile-changed':
      next.avatar = e.data.avatar;
      next.description = e.data.description;
      break;
    case 'chat:member-added':
      next.memberCount += e.data.members.length;
      break;
    case 'chat:member-removed':
      next.memberCount = Math.max(0, next.memberCount - 1);
      break;
    case 'chat:member-updated':
      if (e.data.userId === meId) next.myRole = e.data.role;
      break;
  }
  return { chat: next, unreadUnknown };
}

/** Inserts or replaces a message in a seq-ordered window (pure; returns a new array). */
export function upsertMessage(items: readonly MessageView[], m: MessageView): MessageView[] {
  const out = items.filter((x) => x.id !== m.id);
  let i = out.length;
  while (i > 0 && out[i - 1]!.seq > m.seq) i -= 1;
  out.splice(i, 0, m);
  return out;
}

/** Refreshes the quotes of replies to `m` after it was edited or deleted. */
function refreshQuotes(items: MessageView[], m: MessageView): MessageView[] {
  return items.map((x) =>
    x.replyTo?.id === m.id
      ? { ...x, replyTo: { ...x.replyTo, excerpt: m.deletedAt || m.text === null ? null : m.text.slice(0, QUOTE_EXCERPT_MAX) } }
      : x,
  );
}

/**
 * One chat-room event applied to a loaded window of messages (pure). The window always reaches
 * the chat's head, so a new message is appended; edits and reactions only touch loaded rows.
 */
export function applyEventToWindow(items: readonly MessageView[], e: AnyChatEvent): MessageView[] {
  switch (e.type) {
    case 'message:created':
      return upsertMessage(items, e.data);
    case 'message:updated':
    case 'message:deleted': {
      const m = e.data;
      const known = items.some((x) => x.id === m.id);
      const out = known ? items.map((x) => (x.id === m.id ? m : x)) : [...items];
      return refreshQuotes(out, m);
    }
    case 'reaction:changed':
      return items.map((x) => (x.id === e.data.messageId ? { ...x, reactions: e.data.reactions } : x));
    case 'message:preview':
      return items.map((x) => (x.id === e.data.messageId && !x.deletedAt ? { ...x, preview: e.data.preview } : x));
    case 'message:listened': {
      const { messageId, userId } = e.data;
      return items.map((x) => (x.id === messageId && !x.listenedBy.includes(userId) ? { ...x, listenedBy: [...x.listenedBy, userId] } : x));
    }
    default:
      return items as MessageView[];
  }
}

/** One chat-room event applied to a loaded member list (pure). */
export function applyEventToMembers(members: readonly MemberView[], e: AnyChatEvent): MemberView[] {
  switch (e.type) {
    case 'chat:read':
      return members.map((m) =>
        m.user.id === e.data.userId && e.data.lastReadSeq > m.lastReadSeq ? { ...m, lastReadSeq: e.data.lastReadSeq } : m,
      );
    case 'chat:member-added': {
      const known = new Set(members.map((m) => m.user.id));
      return [...members, ...e.data.members.filter((m) => !known.has(m.user.id))];
    }
    case 'chat:member-removed':
      return members.filter((m) => m.user.id !== e.data.userId);
    case 'chat:member-updated':
      return members.map((m) => (m.user.id === e.data.userId ? { ...m, role: e.data.role } : m));
    default:
      return members as MemberView[];
  }
}

/** Members (other than the sender and me) whose read pointer has reached the message. */
export function seenBy(members: readonly MemberView[], m: Pick<MessageView, 'seq' | 'senderId'>, meId: string): MemberView[] {
  return members.filter((x) => x.user.id !== m.senderId && x.user.id !== meId && x.lastReadSeq >= m.seq);
}

/** The first message after the read pointer that someone else sent: where the "unread" divider goes. */
export function firstUnreadSeq(items: readonly MessageView[], meId: string, lastReadSeq: number): number | null {
  for (const m of items) if (isUnreadFor(m, meId, lastReadSeq)) return m.seq;
  return null;
}
