import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseTimeouts } from '../config/app-config.js';
import { timedClient } from './timed-client.js';
import { UserEntity } from '../users/entities/user.entity.js';
import { SessionEntity } from '../auth/entities/session.entity.js';
import { RefreshTokenEntity } from '../auth/entities/refresh-token.entity.js';
import { FriendshipEntity } from '../friendships/entities/friendship.entity.js';
import { BlockEntity } from '../friendships/entities/block.entity.js';
import { Accounts1732500000000 } from './migrations/1732500000000-accounts.js';
import { SocialGraph1732550000000 } from './migrations/1732550000000-social-graph.js';
import { Chats1732600000000 } from './migrations/1732600000000-chats.js';
import { Media1732700000000 } from './migrations/1732700000000-media.js';
import { GroupAddPrivacy1732800100000 } from './migrations/1732800100000-group-add-privacy.js';
import { MessageEdits1732800200000 } from './migrations/1732800200000-message-edits.js';
import { Pins1732800300000 } from './migrations/1732800300000-pins.js';
import { Drafts1732800500000 } from './migrations/1732800500000-drafts.js';
import { MessageHides1733000000000 } from './migrations/1733000000000-message-hides.js';
import { AccessibleAccent1733000000001 } from './migrations/1733000000001-accessible-accent.js';
import { LinkPreviews1732800400000 } from './migrations/1732800400000-link-previews.js';
import { Push1733000100000 } from './migrations/1733000100000-push.js';
import { Forwards1733000200000 } from './migrations/1733000200000-forwards.js';
import { Documents1733000300000 } from './migrations/1733000300000-documents.js';
import { Voice1733000400000 } from './migrations/1733000400000-voice.js';
import { Formatting1733000500000 } from './migrations/1733000500000-formatting.js';
import { ServiceMessages1732810000000 } from './migrations/1732810000000-service-messages.js';
import { GroupProfile1732820000000 } from './migrations/1732820000000-group-profile.js';

/**
 * The entities code reads through TypeORM (or whose shape it maps rows into). The schema itself is
 * the migrations': tables without an entity here (chats, messages, media, …) are read and written
 * in their repositories' SQL.
 */
export const ENTITIES = [UserEntity, SessionEntity, RefreshTokenEntity, FriendshipEntity, BlockEntity];
export const MIGRATIONS = [
  Accounts1732500000000, SocialGraph1732550000000, Chats1732600000000, Media1732700000000, GroupAddPrivacy1732800100000, MessageEdits1732800200000,
  Pins1732800300000, LinkPreviews1732800400000, Drafts1732800500000, MessageHides1733000000000, AccessibleAccent1733000000001, Push1733000100000,
  Forwards1733000200000, Documents1733000300000, Voice1733000400000, Formatting1733000500000,
  ServiceMessages1732810000000, GroupProfile1732820000000,
];

/**
 * Options shared by the app and the migration runner; `synchronize` is never on. With `statements`
 * (the app, not migrations), each statement is bounded too: PostgreSQL cancels it after
 * `statementMs`, and the client gives up a second later when the server says nothing at all.
 */
export function dataSourceOptions(url: string, timeouts: DatabaseTimeouts, statements = true): DataSourceOptions {
  const bounded = statements ? { statement_timeout: timeouts.statementMs, query_timeout: timeouts.statementMs + 1000 } : {};
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // Idle connections are kept: reconnecting every 10 s (the pg-pool default) stalled commits for ~1 s under load.
    // pg-pool's connectionTimeoutMillis bounds waiting for a connection (opening one included); the
    // client class bounds the opening itself.
    extra: {
      max: 20, idleTimeoutMillis: 0, application_name: 'messenger-api',
      connectionTimeoutMillis: timeouts.acquireMs, Client: timedClient(timeouts.connectMs), ...bounded,
    },
  };
}

/** Runs pending migrations on a fresh connection, serialised by an advisory lock across instances. */
export async function runMigrations(url: string, timeouts: DatabaseTimeouts): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, timeouts, false));
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(724201)');
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.query('SELECT pg_advisory_unlock(724201)');
    }
  } finally {
    await ds.destroy();
  }
}
