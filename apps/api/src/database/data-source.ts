import { DataSource, type DataSourceOptions } from 'typeorm';
import { UserEntity } from '../users/entities/user.entity.js';
import { SessionEntity } from '../auth/entities/session.entity.js';
import { RefreshTokenEntity } from '../auth/entities/refresh-token.entity.js';
import { PasswordResetEntity } from '../auth/entities/password-reset.entity.js';
import { FriendshipEntity } from '../friendships/entities/friendship.entity.js';
import { BlockEntity } from '../friendships/entities/block.entity.js';
import { Accounts1732500000000 } from './migrations/1732500000000-accounts.js';
import { SocialGraph1732550000000 } from './migrations/1732550000000-social-graph.js';
import { Chats1732600000000 } from './migrations/1732600000000-chats.js';
import { Media1732700000000 } from './migrations/1732700000000-media.js';
import { ChatEntity } from '../chats/entities/chat.entity.js';
import { ChatMemberEntity } from '../chats/entities/chat-member.entity.js';
import { ChatEventEntity } from '../chats/entities/chat-event.entity.js';
import { MessageEntity } from '../messages/entities/message.entity.js';
import { ReactionEntity } from '../messages/entities/reaction.entity.js';
import { MediaEntity } from '../media/entities/media.entity.js';

export const ENTITIES = [
  UserEntity, SessionEntity, RefreshTokenEntity, PasswordResetEntity,
  FriendshipEntity, BlockEntity,
  ChatEntity, ChatMemberEntity, ChatEventEntity, MessageEntity, ReactionEntity, MediaEntity,
];
export const MIGRATIONS = [Accounts1732500000000, SocialGraph1732550000000, Chats1732600000000, Media1732700000000];

/** Options shared by the app and the migration runner; `synchronize` is never on. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // Idle connections are kept: reconnecting every 10 s (the pg-pool default) stalled commits for ~1 s under load.
    extra: { max: 20, idleTimeoutMillis: 0, application_name: 'messenger-api' },
  };
}

/** Runs pending migrations on a fresh connection, serialised by an advisory lock across instances. */
export async function runMigrations(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url));
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
