import { DomainError } from '../errors/domain-error.js';

export type CursorValue = string | number;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Sorts after every real uuid (keyset pages walk ids downwards). */
export const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
export const isIsoTime = (v: unknown): v is string => typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v));
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const malformed = (): DomainError => DomainError.validation('cursor', 'invalid', 'cursor is malformed');

/** An opaque keyset cursor: base64url of a JSON tuple. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor whose tuple must pass `guards` position by position; anything else is a
 * 400 on the `cursor` field (never a 500 from a bad cast in SQL).
 */
export function decodeCursor<T extends CursorValue[]>(cursor: string, guards: { [K in keyof T]: (v: unknown) => v is T[K] }): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parsed) || parsed.length !== guards.length) throw malformed();
  const values: unknown[] = parsed;
  if (!guards.every((guard, i) => guard(values[i]))) throw malformed();
  return values as T;
}

/** Splits `limit + 1` fetched rows into a page and whether more follow. */
export function slicePage<R>(rows: R[], limit: number): { rows: R[]; more: boolean } {
  return rows.length > limit ? { rows: rows.slice(0, limit), more: true } : { rows, more: false };
}

export const DEFAULT_PAGE_SIZE = 20;

/** A keyset position in (time DESC, id DESC) order: rows strictly after it. */
export interface TimeKey {
  /** ISO time, or 'infinity' for the first page. */
  at: string;
  id: string;
}

/** Where a (time, id) keyset page starts: after the cursor's position, or from the newest. */
export function timeKeyOf(cursor: string | undefined): TimeKey {
  if (!cursor) return { at: 'infinity', id: MAX_UUID };
  const [at, id] = decodeCursor<[string, string]>(cursor, [isIsoTime, isUuid]);
  return { at, id };
}

export const timeCursor = (at: Date, id: string): string => encodeCursor([at.toISOString(), id]);
