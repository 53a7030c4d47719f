import type { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE/DELETE … RETURNING and gives back the rows (TypeORM's postgres driver
 * answers those statements with `[rows, count]`, unlike SELECT and INSERT).
 */
export async function modifyReturning<T>(m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const raw: unknown = await m.query(sql, params);
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') {
    return raw[0] as T[];
  }
  return raw as T[];
}
