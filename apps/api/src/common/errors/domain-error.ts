import type { ErrorCode, ErrorDetail } from '@app/contracts';

/** The one error type services throw; transports map it to a status or an ack. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /** The answer for anything the caller may not see, identical to a missing one. */
  static notFound(): DomainError {
    return new DomainError('NOT_FOUND', 'Not found');
  }

  static validation(field: string, code: string, message: string): DomainError {
    return new DomainError('VALIDATION_FAILED', 'Invalid input', [{ field, code, message }]);
  }
}
