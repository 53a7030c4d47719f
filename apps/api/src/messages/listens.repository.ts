import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { modifyReturning } from '../database/sql.js';

/** Who has played a voice message (message_listens); written inside the listen's transaction. */
@Injectable()
export class ListensRepository {
  /** Whether the message carries a voice message. */
  async hasVoice(m: EntityManager, messageId: string): Promise<boolean> {
    const rows = (await m.query(`SELECT 1 FROM media WHERE message_id = $1 AND kind = 'voice' LIMIT 1`, [messageId])) as unknown[];
    return rows.length > 0;
  }

  /** Records a first play; false when this user had played it already. */
  async add(m: EntityManager, messageId: string, userId: string): Promise<boolean> {
    const rows = await modifyReturning<{ user_id: string }>(
      m,
      'INSERT INTO message_listens (message_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING user_id',
      [messageId, userId],
    );
    return rows.length > 0;
  }
}
