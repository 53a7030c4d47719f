import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Service messages: changes to a group (created, renamed, members, roles) kept in its history as
 * messages with a `service` payload and no text, so they take a seq, replay on catch-up and show
 * in the chat list like any message.
 */
export class ServiceMessages1732810000000 implements MigrationInterface {
  name = 'ServiceMessages1732810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN service jsonb`);
    await q.query(`ALTER TABLE messages ADD CONSTRAINT messages_service_no_text_ck CHECK (service IS NULL OR text IS NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_service_no_text_ck`);
    await q.query(`ALTER TABLE messages DROP COLUMN service`);
  }
}
