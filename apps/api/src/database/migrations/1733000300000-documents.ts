import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Files of any type join photos and videos: kept as uploaded (no renditions, no size), only ever downloaded. */
export class Documents1733000300000 implements MigrationInterface {
  name = 'Documents1733000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE media DROP CONSTRAINT media_kind_check');
    await q.query(`ALTER TABLE media ADD CONSTRAINT media_kind_check CHECK (kind IN ('image','video','file'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM media WHERE kind = 'file'`);
    await q.query('ALTER TABLE media DROP CONSTRAINT media_kind_check');
    await q.query(`ALTER TABLE media ADD CONSTRAINT media_kind_check CHECK (kind IN ('image','video'))`);
  }
}
