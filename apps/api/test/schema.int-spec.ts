import { DataSource } from 'typeorm';
import { ENTITIES } from '../src/database/data-source.js';
import { createTestApp, type TestApp } from './support/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** The migrations are the schema; the few entities TypeORM knows must describe it, column for column. */
describe('entities and the migrated schema', () => {
  it('registers only the entities code uses through TypeORM or maps rows into', () => {
    expect(ENTITIES.map((e) => e.name).sort()).toEqual(['BlockEntity', 'FriendshipEntity', 'RefreshTokenEntity', 'SessionEntity', 'UserEntity']);
  });

  it('gives every entity column a column of the same name and nullability in the migrated table (generated ones: the name)', async () => {
    const db = t.app.get(DataSource);
    for (const meta of db.entityMetadatas) {
      const rows = (await db.query(
        `SELECT column_name, is_nullable, is_generated FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
        [meta.tableName],
      )) as { column_name: string; is_nullable: 'YES' | 'NO'; is_generated: 'ALWAYS' | 'NEVER' }[];
      // PostgreSQL reports a stored generated column as nullable; its entity column is read-only.
      const table = new Map(rows.map((r) => [r.column_name, r.is_generated === 'ALWAYS' ? 'generated' : r.is_nullable === 'YES']));
      const declared = meta.columns.map((c) => [c.databaseName, c.isInsert || c.isUpdate ? c.isNullable : 'generated'] as const);
      expect({ table: meta.tableName, columns: declared.map(([name]) => [name, table.get(name)]) })
        .toEqual({ table: meta.tableName, columns: declared.map(([name, nullable]) => [name, nullable]) });
    }
  });
});
