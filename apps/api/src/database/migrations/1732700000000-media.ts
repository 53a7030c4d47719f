import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploaded photos and videos. A row is the uploader's alone (chat_id, message_id and seq null)
 * until a send attaches it, in the send's transaction, to exactly one message; from then on the
 * chat's members see it. `seq` copies the message's seq so the gallery is one index scan.
 * `files` maps each rendition (original, thumb, poster, w640…) to its storage key, type and size.
 */
export class Media1732700000000 implements MigrationInterface {
  name = 'Media1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE media (
        id uuid PRIMARY KEY,
        owner_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        chat_id uuid REFERENCES chats(id) ON DELETE CASCADE,
        message_id uuid REFERENCES messages(id) ON DELETE CASCADE,
        seq bigint,
        position smallint,
        kind text NOT NULL CHECK (kind IN ('image','video')),
        mime text NOT NULL,
        size bigint NOT NULL,
        width int NOT NULL,
        height int NOT NULL,
        duration_ms int,
        placeholder text NOT NULL,
        name text NOT NULL,
        files jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attached_at timestamptz,
        CHECK ((message_id IS NULL) = (chat_id IS NULL) AND (message_id IS NULL) = (seq IS NULL)
               AND (message_id IS NULL) = (position IS NULL))
      )`);
    await q.query(`CREATE INDEX media_message_idx ON media (message_id, position) WHERE message_id IS NOT NULL`);
    await q.query(`CREATE INDEX media_gallery_idx ON media (chat_id, seq DESC, position DESC) WHERE message_id IS NOT NULL`);
    await q.query(`CREATE INDEX media_gallery_kind_idx ON media (chat_id, kind, seq DESC, position DESC) WHERE message_id IS NOT NULL`);
    await q.query(`CREATE INDEX media_unattached_idx ON media (created_at) WHERE message_id IS NULL`);
    await q.query(`CREATE INDEX media_owner_idx ON media (owner_id)`);
    await q.query(`
      CREATE TABLE chat_wallpapers (
        chat_id uuid NOT NULL,
        user_id uuid NOT NULL,
        key text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (chat_id, user_id),
        FOREIGN KEY (chat_id, user_id) REFERENCES chat_members (chat_id, user_id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE chat_wallpapers`);
    await q.query(`DROP TABLE media`);
  }
}
