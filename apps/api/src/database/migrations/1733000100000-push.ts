import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Web Push. A subscription belongs to one session (it goes when the session ends); `push_jobs` is
 * the outgoing queue, one row per subscription and notification, retried with backoff until
 * `attempts` runs out. Per-chat mute: until a time ('infinity' = until unmuted), optionally still
 * notifying mentions. The preview setting says whether pushes may carry message text.
 */
export class Push1733000100000 implements MigrationInterface {
  name = 'Push1733000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE push_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        endpoint text NOT NULL,
        p256dh text NOT NULL,
        auth text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX push_subscriptions_endpoint_uq ON push_subscriptions (endpoint)`);
    await q.query(`CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id)`);
    await q.query(`CREATE INDEX push_subscriptions_session_idx ON push_subscriptions (session_id)`);
    await q.query(`
      CREATE TABLE push_jobs (
        id bigserial PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
        payload jsonb NOT NULL,
        topic text,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX push_jobs_due_idx ON push_jobs (next_attempt_at)`);
    await q.query(`CREATE INDEX push_jobs_subscription_idx ON push_jobs (subscription_id)`);
    await q.query(`
      CREATE TABLE push_settings (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        preview boolean NOT NULL DEFAULT false
      )`);
    await q.query(`ALTER TABLE chat_members ADD COLUMN muted_until timestamptz, ADD COLUMN mute_mentions_only boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE chat_members SET muted_until = 'infinity' WHERE muted`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE chat_members DROP COLUMN muted_until, DROP COLUMN mute_mentions_only`);
    await q.query(`DROP TABLE push_settings`);
    await q.query(`DROP TABLE push_jobs`);
    await q.query(`DROP TABLE push_subscriptions`);
  }
}
