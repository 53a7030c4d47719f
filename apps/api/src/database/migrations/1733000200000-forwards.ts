import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Forwarded messages: where each came from (its first sender, who may be hidden by their
 * privacy.forwards, and when they sent it); forwarded photos and videos share the stored files of
 * the upload they came from (`origin_id`), which go only when the last row sharing them goes.
 */
export class Forwards1733000200000 implements MigrationInterface {
  name = 'Forwards1733000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE messages
        ADD COLUMN fwd_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        ADD COLUMN fwd_sent_at timestamptz`);
    await q.query('ALTER TABLE media ADD COLUMN origin_id uuid');
    await q.query('CREATE INDEX media_origin_idx ON media (origin_id) WHERE origin_id IS NOT NULL');
    await q.query(`
      ALTER TABLE users ADD COLUMN privacy_forwards text NOT NULL DEFAULT 'everyone'
        CHECK (privacy_forwards IN ('everyone','friends','nobody'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN privacy_forwards');
    await q.query('DROP INDEX media_origin_idx');
    await q.query('ALTER TABLE media DROP COLUMN origin_id');
    await q.query('ALTER TABLE messages DROP COLUMN fwd_user_id, DROP COLUMN fwd_sent_at');
  }
}
