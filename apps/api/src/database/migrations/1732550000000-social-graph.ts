import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Friendships (one row per unordered pair, enforced by the database), blocks, and the trigram
 * indexes behind typo-tolerant user search. Times are stored to the millisecond so keyset
 * cursors round-trip exactly through JavaScript dates.
 */
export class SocialGraph1732550000000 implements MigrationInterface {
  name = 'SocialGraph1732550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`);
    await q.query(`
      CREATE TABLE friendships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_low uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        user_high uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        requester_id uuid NOT NULL,
        addressee_id uuid GENERATED ALWAYS AS (CASE WHEN requester_id = user_low THEN user_high ELSE user_low END) STORED,
        state text NOT NULL CHECK (state IN ('pending','accepted')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        accepted_at timestamptz(3),
        CONSTRAINT friendships_pair_order_ck CHECK (user_low < user_high),
        CONSTRAINT friendships_requester_ck CHECK (requester_id IN (user_low, user_high)),
        CONSTRAINT friendships_accepted_at_ck CHECK ((state = 'accepted') = (accepted_at IS NOT NULL)),
        CONSTRAINT friendships_pair_uq UNIQUE (user_low, user_high)
      )`);
    await q.query(`CREATE INDEX friendships_high_idx ON friendships (user_high)`);
    await q.query(`CREATE INDEX friendships_low_friends_idx ON friendships (user_low, accepted_at DESC, id DESC) WHERE state = 'accepted'`);
    await q.query(`CREATE INDEX friendships_high_friends_idx ON friendships (user_high, accepted_at DESC, id DESC) WHERE state = 'accepted'`);
    await q.query(`CREATE INDEX friendships_incoming_idx ON friendships (addressee_id, created_at DESC, id DESC) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX friendships_outgoing_idx ON friendships (requester_id, created_at DESC, id DESC) WHERE state = 'pending'`);
    await q.query(`
      CREATE TABLE blocks (
        blocker_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        blocked_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (blocker_id, blocked_id),
        CONSTRAINT blocks_not_self_ck CHECK (blocker_id <> blocked_id)
      )`);
    await q.query(`CREATE INDEX blocks_list_idx ON blocks (blocker_id, created_at DESC, blocked_id DESC)`);
    await q.query(`CREATE INDEX blocks_blocked_idx ON blocks (blocked_id, blocker_id)`);
    await q.query(`CREATE INDEX users_username_trgm_idx ON users USING gin (username_key gin_trgm_ops)`);
    await q.query(`CREATE INDEX users_display_name_trgm_idx ON users USING gin (lower(display_name) gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_display_name_trgm_idx`);
    await q.query(`DROP INDEX users_username_trgm_idx`);
    await q.query(`DROP TABLE blocks`);
    await q.query(`DROP TABLE friendships`);
  }
}
