import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ErrorDetail } from '@app/contracts';
import { DomainError } from './domain-error.js';

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [code, message] of Object.entries(e.constraints ?? {})) {
      out.push({ field, code, message });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** The one validation pipe for HTTP and sockets: whitelist, no unknown fields, no implicit coercion. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new DomainError('VALIDATION_FAILED', 'Invalid input', flatten(errors)),
  });
}
