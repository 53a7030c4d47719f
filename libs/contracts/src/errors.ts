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

/**
 * The one code → HTTP status table, for the API's answers and for the clients that turn a
 * socket ack's code back into a status. `satisfies` makes it exhaustive over ErrorCode.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

export function statusOfCode(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/** Statuses no code answers with that a framework or a proxy in front of a server may. */
const OTHER_STATUS: Readonly<Record<number, ErrorCode>> = { 422: 'VALIDATION_FAILED', 502: 'UNAVAILABLE', 504: 'UNAVAILABLE' };
const CODE_OF_STATUS: ReadonlyMap<number, ErrorCode> = new Map([
  ...Object.entries(OTHER_STATUS).map(([status, code]) => [Number(status), code] as const),
  ...ERROR_CODES.map((code) => [ERROR_STATUS[code], code] as const),
]);

/** The code for a status that came without an error body (routing, body parsing, a proxy); INTERNAL when none fits. */
export function codeOfStatus(status: number): ErrorCode {
  return CODE_OF_STATUS.get(status) ?? 'INTERNAL';
}

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
