import { QueryFailedError } from 'typeorm';

/** How long a caller is asked to wait before retrying while a dependency is out. */
export const UNAVAILABLE_RETRY_AFTER_MS = 2000;

/** Network failures: nothing answers at the address, or the connection broke. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs that say "the database cannot serve now" rather than "this request is wrong":
 * class 08 (connection exception), 53300 too many connections, 53100/53200 out of disk or memory,
 * 57P01 admin shutdown, 57P02 crash shutdown, 57P03 starting up, 57014 statement timeout.
 */
const UNAVAILABLE_STATES = new Set(['53300', '53100', '53200', '57P01', '57P02', '57P03', '57014']);

/** node-postgres and pg-pool raise these as plain Errors, without a code. */
const DRIVER_MESSAGES = [
  'timeout exceeded when trying to connect', // pg-pool: no connection free within the acquire timeout
  'Connection terminated', // …unexpectedly / due to connection timeout
  'Query read timeout', // the client-side guard when the server does not answer at all
  'is not queryable', // a client whose connection already failed
  'the database system is', // starting up / shutting down / in recovery (before the SQLSTATE is parsed)
];

interface DriverErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** The error node-postgres raised, under TypeORM's QueryFailedError when wrapped. */
export function driverErrorOf(error: unknown): DriverErrorLike | null {
  const e = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  return typeof e === 'object' && e !== null ? (e as DriverErrorLike) : null;
}

/**
 * Why the database could not serve a request (an SQLSTATE, a network code or a short reason), or
 * null when `error` is anything else. The one place that decides what a database outage looks like:
 * the HTTP filter and the socket acks both answer it with 503 UNAVAILABLE.
 */
export function databaseUnavailableReason(error: unknown): string | null {
  const e = driverErrorOf(error);
  if (!e) return null;
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code)) return code;
  if (code.startsWith('08') || UNAVAILABLE_STATES.has(code)) return code;
  // An AggregateError from a connect to several addresses (IPv4 and IPv6 localhost).
  if (Array.isArray(e.errors) && e.errors.some((inner) => databaseUnavailableReason(inner) !== null)) return 'ECONNREFUSED';
  const message = typeof e.message === 'string' ? e.message : '';
  const known = DRIVER_MESSAGES.find((m) => message.includes(m));
  return known ? (known === 'Query read timeout' ? 'no answer' : known.replace(/^the /, '')) : null;
}
