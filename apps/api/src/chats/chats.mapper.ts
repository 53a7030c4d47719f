import { groupAvatarView, type ChatView, type MemberView, type MessageView, type UserView } from '@app/contracts';
import type { ChatRow, MemberRow } from './chats.repository.js';

export function toChatView(row: ChatRow, peer: UserView | null, lastMessage: MessageView | null, lastSenderName: string | null = null): ChatView {
  const title =
    row.custom_name ?? (row.kind === 'group' ? (row.title ?? '') : (peer?.displayName ?? 'Deleted account'));
  return {
    id: row.id,
    kind: row.kind,
    title,
    groupTitle: row.kind === 'group' ? row.title : null,
    customName: row.custom_name,
    avatar: row.kind === 'group' ? groupAvatarView(row.avatar_key) : null,
    description: row.kind === 'group' ? row.description : null,
    peer,
    memberCount: row.member_count,
    myRole: row.role,
    lastMessage,
    lastSenderName: lastMessage ? lastSenderName : null,
    lastActivityAt: row.last_message_at.toISOString(),
    lastSeq: Number(row.last_seq),
    lastReadSeq: Number(row.last_read_seq),
    unread: row.unread,
    unreadMentions: row.unread_mentions,
    peerReadSeq: row.peer_read_seq === null ? null : Number(row.peer_read_seq),
    mutedUntil: row.muted_until,
    muteMentionsOnly: row.muted_until !== null && row.mute_mentions_only,
    draft: row.draft_updated_at === null
      ? null
      : { chatId: row.id, text: row.draft_text ?? '', replyToId: row.draft_reply_to_id, updatedAt: row.draft_updated_at.toISOString() },
  };
}

export function toMemberView(row: MemberRow, user: UserView): MemberView {
  return { user, role: row.role, joinedAt: row.joined_at.toISOString(), lastReadSeq: Number(row.last_read_seq) };
}
