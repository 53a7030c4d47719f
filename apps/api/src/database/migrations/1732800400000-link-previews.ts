import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Link previews: one card per normalized URL (a failure is kept too, briefly, so a dead link is not
 * fetched again and again), and which card a message shows (`removed` once its sender took it off).
 */
export class LinkPreviews1732800400000 implements MigrationInterface {
  name = 'LinkPreviews1732800400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE link_previews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url_key text NOT NULL UNIQUE,
        ok boolean NOT NULL,
        url text NOT NULL,
        title text,
        description text,
        site_name text,
        image bytea,
        image_width int,
        image_height int,
        fetched_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE message_previews (
        message_id uuid PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        preview_id uuid REFERENCES link_previews(id) ON DELETE SET NULL,
        removed boolean NOT NULL DEFAULT false
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE message_previews');
    await q.query('DROP TABLE link_previews');
  }
}
