import type { MigrationInterface, QueryRunner } from 'typeorm';

/** "Delete for me": messages a member hid from their own history (every device of theirs), not from the chat. */
export class MessageHides1733000000000 implements MigrationInterface {
  name = 'MessageHides1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_hides (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        chat_id uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        hidden_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, message_id)
      )`);
    await q.query('CREATE INDEX message_hides_chat_idx ON message_hides (user_id, chat_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE message_hides');
  }
}
