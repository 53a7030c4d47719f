import { ERROR_CODES, codeOfStatus, type ApiError, type ErrorCode, type ErrorDetail } from '@app/contracts';

/** A failed API call, carrying the contract's error body in typed form. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly retryAfterMs?: number;

  constructor(status: number, error: ApiError) {
    super(error.message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = error.code;
    this.details = error.details ?? [];
    this.retryAfterMs = error.retryAfterMs;
  }

  /** The first message for each field, keyed by the field's dotted path. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      if (!(d.field in out)) out[d.field] = d.message;
    }
    return out;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

function parseDetails(value: unknown): ErrorDetail[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isRecord).map((d) => ({
    field: String(d.field ?? ''),
    code: String(d.code ?? ''),
    message: String(d.message ?? ''),
  }));
}

/** Narrows an ApiErrorBody out of an unknown response payload. */
export function parseApiError(data: unknown): ApiError | null {
  if (!isRecord(data) || !isRecord(data.error)) return null;
  const e = data.error;
  if (!isErrorCode(e.code)) return null;
  return {
    code: e.code,
    message: typeof e.message === 'string' ? e.message : e.code,
    details: parseDetails(e.details),
    retryAfterMs: typeof e.retryAfterMs === 'number' ? e.retryAfterMs : undefined,
  };
}

/** No response at all (status 0: offline, connection refused) is UNAVAILABLE; else the contract's table. */
function statusToCode(status: number): ErrorCode {
  return status === 0 ? 'UNAVAILABLE' : codeOfStatus(status);
}

/** Turns whatever $fetch threw into an ApiRequestError. */
export function toApiRequestError(err: unknown): ApiRequestError {
  if (err instanceof ApiRequestError) return err;
  const status = isRecord(err) && typeof err.status === 'number' ? err.status : 0;
  const data = isRecord(err) ? err.data : undefined;
  const parsed = parseApiError(data);
  if (parsed) return new ApiRequestError(status, parsed);
  const message = err instanceof Error ? err.message : 'Request failed';
  return new ApiRequestError(status, { code: statusToCode(status), message });
}
