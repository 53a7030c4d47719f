import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MessageEntity } from '@app/contracts';

/** A message being forwarded, as its chat holds it. */
export interface ForwardSource {
  id: string;
  text: string;
  entities: MessageEntity[];
  /** Who the forward names: the message's sender, or the first sender of a message that was itself a forward (null: hidden there). */
  originId: string | null;
  originSentAt: Date;
}

export interface NewForward {
  id: string;
  chatId: string;
  seq: number;
  senderId: string;
  clientId: string;
  text: string;
  entities: MessageEntity[];
  originId: string | null;
  originSentAt: Date;
}

/** The reads and writes of a forward, inside its transaction. */
@Injectable()
export class ForwardsRepository {
  /**
   * The messages of `chatId` among `ids` that `userId` may forward, in their order there: the
   * user is a member, and each is neither a service message, deleted, nor one they deleted for
   * themselves. The rows stay share-locked until the forward commits, so a delete for everyone
   * waits for it (and its files are then kept for the forwarded copies).
   */
  async sources(m: EntityManager, userId: string, chatId: string, ids: string[]): Promise<ForwardSource[]> {
    const rows = (await m.query(
      `SELECT m.id, m.text, m.entities,
              CASE WHEN m.fwd_sent_at IS NULL THEN m.sender_id ELSE m.fwd_user_id END AS origin_id,
              coalesce(m.fwd_sent_at, m.created_at) AS origin_sent_at
         FROM messages m
        WHERE m.chat_id = $1 AND m.id = ANY($2::uuid[]) AND m.service IS NULL AND m.deleted_at IS NULL
          AND EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = $1 AND cm.user_id = $3)
          AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.user_id = $3 AND h.message_id = m.id)
        ORDER BY m.seq
          FOR SHARE OF m`,
      [chatId, ids, userId],
    )) as { id: string; text: string | null; entities: MessageEntity[]; origin_id: string | null; origin_sent_at: Date }[];
    return rows.map((r) => ({ id: r.id, text: r.text ?? '', entities: r.text === null ? [] : r.entities, originId: r.origin_id, originSentAt: r.origin_sent_at }));
  }

  /**
   * Which of `originIds` let every other member of `chatId` see their name on a forward: with
   * privacy.forwards "everyone" always, with "friends" when all of them are their friends, with
   * "nobody" only when no one else is there.
   */
  async namesShown(m: EntityManager, chatId: string, originIds: string[]): Promise<Set<string>> {
    if (originIds.length === 0) return new Set();
    const rows = (await m.query(
      `SELECT u.id FROM users u
        WHERE u.id = ANY($2::uuid[])
          AND (u.privacy_forwards = 'everyone'
               OR NOT EXISTS (
                    SELECT 1 FROM chat_members cm
                     WHERE cm.chat_id = $1 AND cm.user_id <> u.id
                       AND (u.privacy_forwards = 'nobody'
                            OR NOT EXISTS (SELECT 1 FROM friendships f
                                            WHERE f.state = 'accepted'
                                              AND f.user_low = least(cm.user_id, u.id) AND f.user_high = greatest(cm.user_id, u.id)))))`,
      [chatId, originIds],
    )) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  async insert(m: EntityManager, f: NewForward): Promise<void> {
    await m.query(
      `INSERT INTO messages (id, chat_id, seq, sender_id, client_id, text, entities, mentions, fwd_user_id, fwd_sent_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', $8, $9)`,
      [f.id, f.chatId, f.seq, f.senderId, f.clientId, f.text, JSON.stringify(f.entities), f.originId, f.originSentAt],
    );
  }
}
