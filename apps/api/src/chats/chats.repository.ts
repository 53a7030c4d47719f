import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CHAT_LIMITS, type MemberRole, type ServiceAction, type ServiceUser } from '@app/contracts';
import type { TimeKey } from '../common/pagination/cursor.js';

export interface ChatRow {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  avatar_key: string | null;
  description: string | null;
  last_seq: string;
  last_message_at: Date;
  role: MemberRole;
  custom_name: string | null;
  muted: boolean;
  /** ISO time, 'forever', or null when not muted (an expired mute reads as null). */
  muted_until: string | null;
  mute_mentions_only: boolean;
  last_read_seq: string;
  member_count: number;
  peer_id: string | null;
  peer_read_seq: string | null;
  unread: number;
  unread_mentions: number;
  draft_text: string | null;
  draft_reply_to_id: string | null;
  draft_updated_at: Date | null;
}

export interface MemberRow {
  user_id: string;
  role: MemberRole;
  joined_at: Date;
  last_read_seq: string;
}

export interface MembershipRow {
  kind: 'direct' | 'group';
  role: MemberRole;
  joined_seq: string;
  last_seq: string;
}

const CHAT_SELECT = `
  SELECT c.id, c.kind, c.title, c.avatar_key, c.description, c.last_seq, c.last_message_at,
         me.role, me.custom_name, me.muted, me.last_read_seq, me.mute_mentions_only,
         CASE WHEN me.muted_until = 'infinity' THEN 'forever'
              WHEN me.muted_until > now() THEN to_char(me.muted_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END AS muted_until,
         (SELECT count(*)::int FROM chat_members x WHERE x.chat_id = c.id) AS member_count,
         peer.user_id AS peer_id, peer.last_read_seq AS peer_read_seq,
         (SELECT count(*)::int FROM (SELECT 1 FROM messages u
             WHERE u.chat_id = c.id AND u.seq > me.last_read_seq AND u.sender_id <> me.user_id AND u.deleted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = me.user_id AND h.message_id = u.id)
             LIMIT ${CHAT_LIMITS.unreadCap}) t) AS unread,
         (SELECT count(*)::int FROM (SELECT 1 FROM messages u
             WHERE u.chat_id = c.id AND u.seq > me.last_read_seq AND me.user_id = ANY(u.mentions) AND u.deleted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = me.user_id AND h.message_id = u.id)
             LIMIT ${CHAT_LIMITS.unreadCap}) t) AS unread_mentions,
         d.text AS draft_text, d.reply_to_id AS draft_reply_to_id, d.updated_at AS draft_updated_at
    FROM chat_members me
    JOIN chats c ON c.id = me.chat_id
    LEFT JOIN drafts d ON d.user_id = me.user_id AND d.chat_id = c.id
    LEFT JOIN chat_members peer ON c.kind = 'direct' AND peer.chat_id = c.id AND peer.user_id <> me.user_id`;

/** Chat SQL: membership, the keyset-paged chat list, members, creating and naming chats. */
@Injectable()
export class ChatsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async chatFor(userId: string, chatId: string, m: EntityManager = this.db.manager): Promise<ChatRow | null> {
    const rows = (await m.query(`${CHAT_SELECT} WHERE me.user_id = $1 AND me.chat_id = $2`, [userId, chatId])) as ChatRow[];
    return rows[0] ?? null;
  }

  /**
   * The user's chats by last activity, newest first; keyset on (last_message_at, id). A dialog
   * someone else opened shows up only once it has a message.
   */
  async list(userId: string, limit: number, after: TimeKey): Promise<ChatRow[]> {
    return (await this.db.query(
      `${CHAT_SELECT} WHERE me.user_id = $1 AND (c.last_message_at, c.id) < ($3::timestamptz, $4::uuid)
          AND (c.kind = 'group' OR c.created_by = me.user_id OR EXISTS (SELECT 1 FROM messages x WHERE x.chat_id = c.id))
        ORDER BY c.last_message_at DESC, c.id DESC LIMIT $2`,
      [userId, limit, after.at, after.id],
    )) as ChatRow[];
  }

  /** The user's membership row of a chat, with the chat's kind and seq; null for outsiders and missing chats. */
  async membership(userId: string, chatId: string): Promise<MembershipRow | null> {
    const rows = (await this.db.query(
      `SELECT c.kind, cm.role, cm.joined_seq, c.last_seq FROM chat_members cm JOIN chats c ON c.id = cm.chat_id
        WHERE cm.chat_id = $1 AND cm.user_id = $2`,
      [chatId, userId],
    )) as MembershipRow[];
    return rows[0] ?? null;
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

  /** The total badge: unread over the chats not muted now (a muted chat's count shows only in its row). */
  async unreadTotals(userId: string): Promise<{ chats: number; messages: number }> {
    const [row] = (await this.db.query(
      `SELECT count(*) FILTER (WHERE n > 0)::int AS chats, coalesce(sum(n), 0)::int AS messages FROM (
         SELECT (SELECT count(*) FROM (SELECT 1 FROM messages u
                  WHERE u.chat_id = me.chat_id AND u.seq > me.last_read_seq AND u.sender_id <> me.user_id AND u.deleted_at IS NULL
                    AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = me.user_id AND h.message_id = u.id)
                  LIMIT ${CHAT_LIMITS.unreadCap}) t) AS n
           FROM chat_members me WHERE me.user_id = $1 AND NOT coalesce(me.muted_until > now(), false)) s`,
      [userId],
    )) as { chats: number; messages: number }[];
    return row;
  }

  /** A new group with the creator as owner and the others as members; returns its id. */
  async insertGroup(m: EntityManager, title: string, creatorId: string, memberIds: string[]): Promise<string> {
    const [chat] = (await m.query(
      `INSERT INTO chats (kind, title, created_by) VALUES ('group', $1, $2) RETURNING id`,
      [title, creatorId],
    )) as { id: string }[];
    await m.query(
      `INSERT INTO chat_members (chat_id, user_id, role) SELECT $1, u, CASE WHEN u = $2 THEN 'owner' ELSE 'member' END
         FROM unnest($3::uuid[]) AS u`,
      [chat.id, creatorId, [creatorId, ...memberIds]],
    );
    return chat.id;
  }

  /** The dialog of a pair with both as members; null when the pair key already has one (a race lost). */
  async insertDirect(m: EntityManager, directKey: string, creatorId: string, peerId: string): Promise<string | null> {
    const rows = (await m.query(
      `INSERT INTO chats (kind, direct_key, created_by) VALUES ('direct', $1, $2) ON CONFLICT (direct_key) DO NOTHING RETURNING id`,
      [directKey, creatorId],
    )) as { id: string }[];
    if (rows.length === 0) return null;
    await m.query(`INSERT INTO chat_members (chat_id, user_id, role) VALUES ($1, $2, 'member'), ($1, $3, 'member')`, [rows[0].id, creatorId, peerId]);
    return rows[0].id;
  }

  async setTitle(m: EntityManager, chatId: string, title: string): Promise<void> {
    await m.query('UPDATE chats SET title = $2 WHERE id = $1', [chatId, title]);
  }

  /** The member's own settings of a chat; an undefined field stays as it is (a null custom name clears it). */
  async updateMine(chatId: string, userId: string, change: { customName?: string | null; muted?: boolean }): Promise<void> {
    await this.db.query(
      `UPDATE chat_members SET custom_name = CASE WHEN $3 THEN $4 ELSE custom_name END, muted = coalesce($5, muted),
              muted_until = CASE WHEN $5 IS NULL THEN muted_until WHEN $5 THEN 'infinity'::timestamptz END,
              mute_mentions_only = CASE WHEN $5 IS NULL THEN mute_mentions_only ELSE false END
        WHERE chat_id = $1 AND user_id = $2`,
      [chatId, userId, change.customName !== undefined, change.customName ?? null, change.muted ?? null],
    );
  }

  /** The member's mute: until a time, for ever ('infinity'), or off (null). */
  async setMute(chatId: string, userId: string, until: Date | 'infinity' | null, mentionsOnly: boolean): Promise<void> {
    await this.db.query(
      `UPDATE chat_members SET muted_until = $3::timestamptz, muted = $3::timestamptz IS NOT NULL, mute_mentions_only = $4
        WHERE chat_id = $1 AND user_id = $2`,
      [chatId, userId, until, mentionsOnly && until !== null],
    );
  }

  /** A service message (no text) at `seq`; its client id is derived from its id, so it never collides with a send. */
  async insertService(m: EntityManager, id: string, chatId: string, seq: number, actorId: string, action: ServiceAction): Promise<void> {
    await m.query(
      `INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text, service) VALUES ($1, $2, $3, $4, $5, NULL, $6::jsonb)`,
      [id, chatId, seq, actorId, `service:${id}`, JSON.stringify(action)],
    );
  }

  /** Display names as service messages name people (read on the caller's transaction). */
  async serviceUsers(m: EntityManager, ids: string[]): Promise<Map<string, ServiceUser>> {
    const rows = (await m.query('SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])', [ids])) as { id: string; display_name: string }[];
    return new Map(rows.map((r) => [r.id, { id: r.id, name: r.display_name }]));
  }

  async setDescription(m: EntityManager, chatId: string, description: string | null): Promise<void> {
    await m.query('UPDATE chats SET description = $2 WHERE id = $1', [chatId, description]);
  }

  async setAvatarKey(m: EntityManager, chatId: string, key: string | null): Promise<void> {
    await m.query('UPDATE chats SET avatar_key = $2 WHERE id = $1', [chatId, key]);
  }

  /** The group's picture key and description, read on the caller's transaction. */
  async profile(m: EntityManager, chatId: string): Promise<{ avatar_key: string | null; description: string | null }> {
    const [row] = (await m.query('SELECT avatar_key, description FROM chats WHERE id = $1', [chatId])) as { avatar_key: string | null; description: string | null }[];
    return row ?? { avatar_key: null, description: null };
  }
}
