import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chats, members, messages, reactions and the per-chat event log. Every change in a chat takes
 * the next `chats.last_seq` inside its transaction (the row lock orders commits), so seq order is
 * commit order and a reader at seq N has seen everything below it.
 */
export class Chats1732600000000 implements MigrationInterface {
  name = 'Chats1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE chats (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('direct','group')),
        title text,
        direct_key text,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        last_seq bigint NOT NULL DEFAULT 0,
        last_message_id uuid,
        last_message_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'direct') = (direct_key IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX chats_direct_key_uq ON chats (direct_key)`);
    await q.query(`
      CREATE TABLE chat_members (
        chat_id uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role text NOT NULL DEFAULT 'member' CHECK (role IN ('owner','admin','member')),
        joined_at timestamptz NOT NULL DEFAULT now(),
        joined_seq bigint NOT NULL DEFAULT 0,
        last_read_seq bigint NOT NULL DEFAULT 0,
        custom_name text,
        muted boolean NOT NULL DEFAULT false,
        PRIMARY KEY (chat_id, user_id)
      )`);
    await q.query(`CREATE INDEX chat_members_user_idx ON chat_members (user_id, chat_id)`);
    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        chat_id uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        sender_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        client_id text NOT NULL,
        text text,
        reply_to_id uuid REFERENCES messages(id) ON DELETE SET NULL,
        mentions uuid[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        edited_at timestamptz,
        deleted_at timestamptz,
        search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(text, ''))) STORED
      )`);
    await q.query(`CREATE UNIQUE INDEX messages_chat_seq_uq ON messages (chat_id, seq)`);
    await q.query(`CREATE UNIQUE INDEX messages_sender_client_uq ON messages (sender_id, client_id)`);
    await q.query(`CREATE INDEX messages_search_idx ON messages USING gin (search)`);
    await q.query(
      `ALTER TABLE chats ADD CONSTRAINT chats_last_message_fk FOREIGN KEY (last_message_id)
       REFERENCES messages(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED`,
    );
    await q.query(`
      CREATE TABLE reactions (
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        emoji text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (message_id, user_id, emoji)
      )`);
    await q.query(`
      CREATE TABLE chat_events (
        chat_id uuid NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (chat_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE chat_events`);
    await q.query(`DROP TABLE reactions`);
    await q.query(`ALTER TABLE chats DROP CONSTRAINT chats_last_message_fk`);
    await q.query(`DROP TABLE messages`);
    await q.query(`DROP TABLE chat_members`);
    await q.query(`DROP TABLE chats`);
  }
}
