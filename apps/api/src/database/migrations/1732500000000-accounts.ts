import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Accounts1732500000000 implements MigrationInterface {
  name = 'Accounts1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        username_key text NOT NULL,
        email text NOT NULL,
        email_key text NOT NULL,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        bio text NOT NULL DEFAULT '',
        avatar_key text,
        cover_key text,
        privacy_profile text NOT NULL DEFAULT 'everyone' CHECK (privacy_profile IN ('everyone','friends','nobody')),
        privacy_search text NOT NULL DEFAULT 'everyone' CHECK (privacy_search IN ('everyone','friends','nobody')),
        privacy_message text NOT NULL DEFAULT 'everyone' CHECK (privacy_message IN ('everyone','friends','nobody')),
        privacy_presence text NOT NULL DEFAULT 'everyone' CHECK (privacy_presence IN ('everyone','friends','nobody')),
        theme text NOT NULL DEFAULT 'system' CHECK (theme IN ('light','dark','system')),
        accent_color text NOT NULL DEFAULT '#3b82f6' CHECK (accent_color ~ '^#[0-9a-fA-F]{6}$'),
        wallpaper text NOT NULL DEFAULT 'none',
        locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en','ru')),
        last_seen_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_key_uq ON users (username_key)`);
    await q.query(`CREATE UNIQUE INDEX users_email_key_uq ON users (email_key)`);
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        device text NOT NULL,
        user_agent text NOT NULL,
        ip text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_active_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await q.query(`CREATE INDEX sessions_user_active_idx ON sessions (user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        replaced_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX refresh_tokens_hash_uq ON refresh_tokens (token_hash)`);
    await q.query(`CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id)`);
    await q.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX password_resets_hash_uq ON password_resets (token_hash)`);
    await q.query(`CREATE INDEX password_resets_user_idx ON password_resets (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE password_resets`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE users`);
  }
}
