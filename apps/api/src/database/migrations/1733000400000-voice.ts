import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Voice messages: media of kind 'voice' (Opus in Ogg) with a waveform computed at upload, and who
 * has played each one (the sender's own plays are not kept).
 */
export class Voice1733000400000 implements MigrationInterface {
  name = 'Voice1733000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE media DROP CONSTRAINT media_kind_check');
    await q.query(`ALTER TABLE media ADD CONSTRAINT media_kind_check CHECK (kind IN ('image','video','voice','file'))`);
    await q.query('ALTER TABLE media ADD COLUMN waveform smallint[]');
    await q.query(`CREATE TABLE message_listens (
      message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      listened_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (message_id, user_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE message_listens');
    await q.query(`DELETE FROM media WHERE kind = 'voice'`);
    await q.query('ALTER TABLE media DROP COLUMN waveform');
    await q.query('ALTER TABLE media DROP CONSTRAINT media_kind_check');
    await q.query(`ALTER TABLE media ADD CONSTRAINT media_kind_check CHECK (kind IN ('image','video','file'))`);
  }
}
