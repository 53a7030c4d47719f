import { HttpException } from '@nestjs/common';
import { codeOfStatus, statusOfCode, type ApiError, type ErrorCode } from '@app/contracts';
import { DomainError } from './domain-error.js';
import { databaseUnavailableReason, UNAVAILABLE_RETRY_AFTER_MS } from './dependency-errors.js';
import { databaseOutage } from './outage-log.js';

const GENERIC: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Invalid input',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  RANGE_NOT_SATISFIABLE: 'Range not satisfiable',
  RATE_LIMITED: 'Too many requests',
  UNAVAILABLE: 'Service unavailable',
  INTERNAL: 'Internal error',
};

export interface MappedError {
  status: number;
  body: ApiError;
  /** True when the error is not one we raised on purpose (log it as a bug). */
  unexpected: boolean;
}

/** Turns anything thrown into the documented error shape; never leaks internals. */
export function toApiError(error: unknown): MappedError {
  if (error instanceof DomainError) {
    const body: ApiError = { code: error.code, message: error.message };
    if (error.details?.length) body.details = error.details;
    if (error.retryAfterMs !== undefined) body.retryAfterMs = error.retryAfterMs;
    return { status: statusOfCode(error.code), body, unexpected: false };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = codeOfStatus(status);
    return { status: code === 'INTERNAL' ? 500 : status, body: { code, message: GENERIC[code] }, unexpected: status >= 500 };
  }
  const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : NaN;
  if (status >= 400 && status < 500) {
    // body-parser errors (malformed JSON, body too large) carry a status.
    const code = codeOfStatus(status);
    return { status, body: { code, message: code === 'VALIDATION_FAILED' ? 'Malformed request body' : GENERIC[code] }, unexpected: false };
  }
  const outage = databaseUnavailableReason(error);
  if (outage) {
    // A database that is down, starting, full or not answering: retryable, and logged once per outage.
    databaseOutage.failed(outage);
    return { status: 503, body: { code: 'UNAVAILABLE', message: GENERIC.UNAVAILABLE, retryAfterMs: UNAVAILABLE_RETRY_AFTER_MS }, unexpected: false };
  }
  return { status: 500, body: { code: 'INTERNAL', message: GENERIC.INTERNAL }, unexpected: true };
}
