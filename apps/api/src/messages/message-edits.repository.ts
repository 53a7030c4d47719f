import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { MessageEntity, MessageVersionView } from '@app/contracts';

/** The earlier versions of edited messages (`message_edits`). */
@Injectable()
export class MessageEditsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Keeps the message's current text as its next earlier version; inside the edit's transaction. */
  async keepCurrent(m: EntityManager, messageId: string): Promise<void> {
    await m.query(
      `INSERT INTO message_edits (message_id, version, text, entities, written_at)
       SELECT id, (SELECT count(*) FROM message_edits WHERE message_id = $1), text, entities, COALESCE(edited_at, created_at)
       FROM messages WHERE id = $1 AND text IS NOT NULL`,
      [messageId],
    );
  }

  async removeAll(m: EntityManager, messageId: string): Promise<void> {
    await m.query('DELETE FROM message_edits WHERE message_id = $1', [messageId]);
  }

  /** Earlier versions, oldest first. */
  async earlier(messageId: string): Promise<MessageVersionView[]> {
    const rows = (await this.db.query(
      'SELECT text, entities, written_at FROM message_edits WHERE message_id = $1 ORDER BY version',
      [messageId],
    )) as { text: string; entities: MessageEntity[]; written_at: Date }[];
    return rows.map((r) => ({ text: r.text, entities: r.entities, writtenAt: r.written_at.toISOString() }));
  }
}
