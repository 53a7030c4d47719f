import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Pinned messages: a chat's pins, each recorded in the chat's event log when it changes. */
export class Pins1732800300000 implements MigrationInterface {
  name = 'Pins1732800300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chat_pins (
        chat_id uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        pinned_by uuid REFERENCES users(id) ON DELETE SET NULL,
        pinned_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (chat_id, message_id)
      )`);
    await q.query('CREATE INDEX chat_pins_by_time ON chat_pins (chat_id, pinned_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE chat_pins');
  }
}
