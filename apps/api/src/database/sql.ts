import { QueryFailedError, type EntityManager } from 'typeorm';

/**
 * Whether `e` is PostgreSQL refusing a row on the named constraint (unique index, check, …), as
 * TypeORM wraps it or as node-postgres raises it.
 */
export function violates(e: unknown, constraint: string): boolean {
  const err = e instanceof QueryFailedError ? e.driverError : e;
  return (err as { constraint?: string } | null)?.constraint === constraint;
}

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
