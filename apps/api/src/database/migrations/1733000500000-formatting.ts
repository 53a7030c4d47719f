import type { MigrationInterface, QueryRunner } from 'typeorm';
import { parseMarks } from '@app/contracts';

/** Rows converted per round trip. */
const BATCH = 500;

/**
 * Formatting as entity ranges over plain text (`entities`, on messages and their earlier
 * versions). Text stored earlier with its marks typed in ("**bold**") is converted, and so are the
 * log entries that carry it, so that history and catch-up show the same.
 */
export class Formatting1733000500000 implements MigrationInterface {
  name = 'Formatting1733000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN entities jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`ALTER TABLE message_edits ADD COLUMN entities jsonb NOT NULL DEFAULT '[]'`);
    await convertMarkedText(q, 'messages');
    await convertMarkedText(q, 'message_edits');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE message_edits DROP COLUMN entities');
    await q.query('ALTER TABLE messages DROP COLUMN entities');
  }
}

/** Converts the rows whose text may hold marks, in key order, a batch at a time. */
export async function convertMarkedText(q: QueryRunner, table: 'messages' | 'message_edits'): Promise<void> {
  const isMessages = table === 'messages';
  const key = isMessages ? 'id' : 'message_id, version';
  let after: unknown[] | null = null;
  for (;;) {
    const keyList = isMessages ? ['id'] : ['message_id', 'version'];
    const cond: string = after ? `AND (${key}) > (${keyList.map((_, i) => `$${i + 1}`).join(', ')})` : '';
    const rows = (await q.query(
      `SELECT ${key}, ${isMessages ? 'chat_id, ' : ''}text FROM ${table} WHERE text ~ '[*_~|\`\\[]' ${cond} ORDER BY ${key} LIMIT ${BATCH}`,
      after ?? [],
    )) as { id?: string; chat_id?: string; message_id?: string; version?: number; text: string }[];
    for (const r of rows) {
      const { text, entities } = parseMarks(r.text);
      if (entities.length === 0) continue;
      if (isMessages) {
        await q.query('UPDATE messages SET text = $2, entities = $3 WHERE id = $1', [r.id, text, JSON.stringify(entities)]);
        await q.query(
          `UPDATE chat_events SET data = data || jsonb_build_object('text', $2::text, 'entities', $3::jsonb)
            WHERE chat_id = $4 AND type IN ('message:created', 'message:updated') AND data->>'id' = $1 AND data->>'text' IS NOT NULL`,
          [r.id, text, JSON.stringify(entities), r.chat_id],
        );
      } else {
        await q.query('UPDATE message_edits SET text = $3, entities = $4 WHERE message_id = $1 AND version = $2', [r.message_id, r.version, text, JSON.stringify(entities)]);
      }
    }
    if (rows.length < BATCH) return;
    const last = rows.at(-1)!;
    after = isMessages ? [last.id] : [last.message_id, last.version];
  }
}
