import type { ChatView, MemberView, MessageView, UserView } from '@app/contracts';
import type { ChatRow, MemberRow } from './chats.repository.js';

export function toChatView(row: ChatRow, peer: UserView | null, lastMessage: MessageView | null): ChatView {
  const title =
    row.custom_name ?? (row.kind === 'group' ? (row.title ?? '') : (peer?.displayName ?? 'Deleted account'));
  return {
    id: row.id,
    kind: row.kind,
    title,
    groupTitle: row.kind === 'group' ? row.title : null,
    customName: row.custom_name,
    peer,
    memberCount: row.member_count,
    myRole: row.role,
    lastMessage,
    lastActivityAt: row.last_message_at.toISOString(),
    lastSeq: Number(row.last_seq),
    lastReadSeq: Number(row.last_read_seq),
    unread: row.unread,
    peerReadSeq: row.peer_read_seq === null ? null : Number(row.peer_read_seq),
  };
}

export function toMemberView(row: MemberRow, user: UserView): MemberView {
  return { user, role: row.role, joinedAt: row.joined_at.toISOString(), lastReadSeq: Number(row.last_read_seq) };
}
