import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Unsent text per user and chat, kept on the server so every device of the user sees it. */
export class Drafts1732800500000 implements MigrationInterface {
  name = 'Drafts1732800500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE drafts (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        chat_id uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        text text NOT NULL,
        reply_to_id uuid REFERENCES messages(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, chat_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE drafts');
  }
}
