import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Earlier versions of edited messages, for every member to see: each edit keeps the text it
 * replaces (and when that text was written). Deleting a message removes them.
 */
export class MessageEdits1732800200000 implements MigrationInterface {
  name = 'MessageEdits1732800200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_edits (
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        version integer NOT NULL,
        text text NOT NULL,
        written_at timestamptz NOT NULL,
        PRIMARY KEY (message_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE message_edits');
  }
}
