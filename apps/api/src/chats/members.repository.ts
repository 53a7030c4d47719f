import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MemberRole } from '@app/contracts';

/** Group membership writes, inside the change's transaction (the caller holds the chat row lock). */
@Injectable()
export class MembersRepository {
  /** Adds those not yet in the chat, as members who have read up to `seq`; returns who was added. */
  async add(m: EntityManager, chatId: string, seq: number, userIds: string[]): Promise<string[]> {
    const rows = (await m.query(
      `INSERT INTO chat_members (chat_id, user_id, role, joined_seq, last_read_seq)
         SELECT $1, u, 'member', $2, $2 FROM unnest($3::uuid[]) AS u
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [chatId, seq, userIds],
    )) as { user_id: string }[];
    return rows.map((r) => r.user_id);
  }

  async count(m: EntityManager, chatId: string): Promise<number> {
    const [{ n }] = (await m.query('SELECT count(*)::int AS n FROM chat_members WHERE chat_id = $1', [chatId])) as { n: number }[];
    return n;
  }

  async remove(m: EntityManager, chatId: string, userId: string): Promise<void> {
    await m.query('DELETE FROM chat_members WHERE chat_id = $1 AND user_id = $2', [chatId, userId]);
  }

  async setRole(m: EntityManager, chatId: string, userId: string, role: MemberRole): Promise<void> {
    await m.query('UPDATE chat_members SET role = $3 WHERE chat_id = $1 AND user_id = $2', [chatId, userId, role]);
  }

  /** The longest-standing admin (else member), or null when nobody is left. */
  async heir(m: EntityManager, chatId: string): Promise<string | null> {
    const rows = (await m.query(
      `SELECT user_id FROM chat_members WHERE chat_id = $1 ORDER BY (role = 'admin') DESC, joined_at, user_id LIMIT 1`,
      [chatId],
    )) as { user_id: string }[];
    return rows[0]?.user_id ?? null;
  }
}
