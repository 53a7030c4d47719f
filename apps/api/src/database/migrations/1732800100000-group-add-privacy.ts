import type { MigrationInterface, QueryRunner } from 'typeorm';

/** "Who may add me to groups" joins the privacy settings; everyone, as before, until the user narrows it. */
export class GroupAddPrivacy1732800100000 implements MigrationInterface {
  name = 'GroupAddPrivacy1732800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users ADD COLUMN privacy_group_add text NOT NULL DEFAULT 'everyone'
        CHECK (privacy_group_add IN ('everyone','friends','nobody'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN privacy_group_add');
  }
}
