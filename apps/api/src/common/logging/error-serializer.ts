import { QueryFailedError } from 'typeorm';

/** What pino's standard error serializer hands on: the plain copy, and the error itself as `raw`. */
interface SerializedError {
  raw?: unknown;
  [key: string]: unknown;
}

interface DatabaseErrorLike {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  severity?: unknown;
}

/** The operation a statement performs ("INSERT messages", "UPDATE chats"), without its text or values. */
export function statementOf(sql: string): string {
  const verb = /\b(INSERT|UPDATE|DELETE|SELECT)\b/i.exec(sql)?.[1]?.toUpperCase() ?? 'QUERY';
  const table = /\b(?:INTO|UPDATE|FROM)\s+"?(\w+)"?/i.exec(sql)?.[1];
  return table ? `${verb} ${table}` : verb;
}

const isDatabaseError = (e: unknown): e is Error & DatabaseErrorLike =>
  e instanceof Error && typeof (e as DatabaseErrorLike).code === 'string' && 'severity' in e;

/** The stack's frames only: its first line repeats the message, which may quote a value. */
const framesOf = (stack: string | undefined): string | undefined => stack?.split('\n').filter((l) => /^\s+at /.test(l)).join('\n');

/**
 * A failed query is logged by its operation, SQLSTATE and constraint, never with its SQL
 * parameters or PostgreSQL's message and detail, which quote what the user sent.
 */
export function serializeError(serialized: SerializedError): unknown {
  const raw = serialized.raw;
  const failed = raw instanceof QueryFailedError ? raw : null;
  const driver: unknown = failed ? failed.driverError : raw;
  if (!failed && !isDatabaseError(driver)) return serialized;
  const db = (driver ?? {}) as DatabaseErrorLike;
  return {
    type: failed ? 'QueryFailedError' : 'DatabaseError',
    message: 'query failed',
    statement: failed ? statementOf(failed.query) : undefined,
    sqlState: typeof db.code === 'string' ? db.code : undefined,
    constraint: typeof db.constraint === 'string' ? db.constraint : undefined,
    table: typeof db.table === 'string' ? db.table : undefined,
    column: typeof db.column === 'string' ? db.column : undefined,
    stack: framesOf((raw as Error).stack),
  };
}
