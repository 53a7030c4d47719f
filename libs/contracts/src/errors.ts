/** Every error code the API answers with, REST and socket acks alike. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RANGE_NOT_SATISFIABLE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One field-level problem: `field` is a dotted path, `code` a stable machine word. */
export interface ErrorDetail {
  field: string;
  code: string;
  message: string;
}

/**
 * The error body. It never carries the request id (that travels in the
 * `X-Request-Id` header), so a hidden object and a missing one answer byte-identically.
 */
export interface ApiError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  retryAfterMs?: number;
}

export interface ApiErrorBody {
  error: ApiError;
}
