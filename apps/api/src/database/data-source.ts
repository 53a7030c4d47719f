import { DataSource, type DataSourceOptions } from 'typeorm';
import { UserEntity } from '../users/entities/user.entity.js';
import { SessionEntity } from '../auth/entities/session.entity.js';
import { RefreshTokenEntity } from '../auth/entities/refresh-token.entity.js';
import { PasswordResetEntity } from '../auth/entities/password-reset.entity.js';
import { Accounts1732500000000 } from './migrations/1732500000000-accounts.js';

export const ENTITIES = [UserEntity, SessionEntity, RefreshTokenEntity, PasswordResetEntity];
export const MIGRATIONS = [Accounts1732500000000];

/** Options shared by the app and the migration runner; `synchronize` is never on. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    extra: { max: 20, application_name: 'messenger-api' },
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
