import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CHAT_LIMITS, type MemberRole } from '@app/contracts';
import type { TimeKey } from '../common/pagination/cursor.js';

export interface ChatRow {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  last_seq: string;
  last_message_at: Date;
  role: MemberRole;
  custom_name: string | null;
  muted: boolean;
  last_read_seq: string;
  member_count: number;
  peer_id: string | null;
  peer_read_seq: string | null;
  unread: number;
}

export interface MemberRow {
  user_id: string;
  role: MemberRole;
  joined_at: Date;
  last_read_seq: string;
}

const CHAT_SELECT = `
  SELECT c.id, c.kind, c.title, c.last_seq, c.last_message_at,
         me.role, me.custom_name, me.muted, me.last_read_seq,
         (SELECT count(*)::int FROM chat_members x WHERE x.chat_id = c.id) AS member_count,
         peer.user_id AS peer_id, peer.last_read_seq AS peer_read_seq,
         (SELECT count(*)::int FROM (SELECT 1 FROM messages u
             WHERE u.chat_id = c.id AND u.seq > me.last_read_seq AND u.sender_id <> me.user_id AND u.deleted_at IS NULL
             LIMIT ${CHAT_LIMITS.unreadCap}) t) AS unread
    FROM chat_members me
    JOIN chats c ON c.id = me.chat_id
    LEFT JOIN chat_members peer ON c.kind = 'direct' AND peer.chat_id = c.id AND peer.user_id <> me.user_id`;

/** The only place with chat SQL: membership, the keyset-paged chat list, members. */
@Injectable()
export class ChatsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async chatFor(userId: string, chatId: string, m: EntityManager = this.db.manager): Promise<ChatRow | null> {
    const rows = (await m.query(`${CHAT_SELECT} WHERE me.user_id = $1 AND me.chat_id = $2`, [userId, chatId])) as ChatRow[];
    return rows[0] ?? null;
  }

  /** The user's chats by last activity, newest first; keyset on (last_message_at, id). */
  async list(userId: string, limit: number, after: TimeKey): Promise<ChatRow[]> {
    return (await this.db.query(
      `${CHAT_SELECT} WHERE me.user_id = $1 AND (c.last_message_at, c.id) < ($3::timestamptz, $4::uuid)
        ORDER BY c.last_message_at DESC, c.id DESC LIMIT $2`,
      [userId, limit, after.at, after.id],
    )) as ChatRow[];
  }

  async chatIdsOf(userId: string): Promise<string[]> {
    const rows = (await this.db.query('SELECT chat_id FROM chat_members WHERE user_id = $1', [userId])) as { chat_id: string }[];
    return rows.map((r) => r.chat_id);
  }

  async members(chatId: string, m: EntityManager = this.db.manager): Promise<MemberRow[]> {
    return (await m.query(
      'SELECT user_id, role, joined_at, last_read_seq FROM chat_members WHERE chat_id = $1 ORDER BY joined_at, user_id',
      [chatId],
    )) as MemberRow[];
  }

  async memberIds(chatId: string, m: EntityManager = this.db.manager): Promise<string[]> {
    return (await this.members(chatId, m)).map((r) => r.user_id);
  }

  async role(chatId: string, userId: string, m: EntityManager = this.db.manager): Promise<MemberRole | null> {
    const rows = (await m.query('SELECT role FROM chat_members WHERE chat_id = $1 AND user_id = $2', [chatId, userId])) as { role: MemberRole }[];
    return rows[0]?.role ?? null;
  }

  /** The other member of a dialog the user is in; null for groups, missing chats and outsiders. */
  async dialogPeer(chatId: string, userId: string): Promise<string | null> {
    const rows = (await this.db.query(
      `SELECT peer.user_id FROM chats c
         JOIN chat_members me ON me.chat_id = c.id AND me.user_id = $2
         JOIN chat_members peer ON peer.chat_id = c.id AND peer.user_id <> $2
        WHERE c.id = $1 AND c.kind = 'direct'`,
      [chatId, userId],
    )) as { user_id: string }[];
    return rows[0]?.user_id ?? null;
  }

  async directChatId(directKey: string): Promise<string | null> {
    const rows = (await this.db.query('SELECT id FROM chats WHERE direct_key = $1', [directKey])) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  async unreadTotals(userId: string): Promise<{ chats: number; messages: number }> {
    const [row] = (await this.db.query(
      `SELECT count(*) FILTER (WHERE n > 0)::int AS chats, coalesce(sum(n), 0)::int AS messages FROM (
         SELECT (SELECT count(*) FROM (SELECT 1 FROM messages u
                  WHERE u.chat_id = me.chat_id AND u.seq > me.last_read_seq AND u.sender_id <> me.user_id AND u.deleted_at IS NULL
                  LIMIT ${CHAT_LIMITS.unreadCap}) t) AS n
           FROM chat_members me WHERE me.user_id = $1) s`,
      [userId],
    )) as { chats: number; messages: number }[];
    return row;
  }
}
