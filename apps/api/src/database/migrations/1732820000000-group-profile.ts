import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A group's picture (the key of its cropped files) and description. */
export class GroupProfile1732820000000 implements MigrationInterface {
  name = 'GroupProfile1732820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE chats ADD COLUMN avatar_key text, ADD COLUMN description text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE chats DROP COLUMN avatar_key, DROP COLUMN description`);
  }
}
