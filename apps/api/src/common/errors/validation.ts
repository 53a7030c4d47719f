import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { ErrorDetail } from '@app/contracts';
import { DomainError } from './domain-error.js';
import { inputProblem } from './input-text.js';

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

/**
 * ValidationPipe after the checks class-transformer cannot survive or SQL cannot store: nesting
 * deeper than any contract (its recursion overflows the stack) and text that is not well-formed
 * or holds NUL. Both are a 400 naming the field, before the DTO is built.
 */
class InputPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only where a DTO is built: a gateway's raw `unknown` payload is checked by validateDto.
    if (this.toValidate(metadata)) {
      const problem = inputProblem(value, metadata.data ?? '');
      if (problem) throw new DomainError('VALIDATION_FAILED', 'Invalid input', [problem]);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** The one validation pipe for HTTP and sockets: whitelist, no unknown fields, no implicit coercion. */
export function createValidationPipe(): ValidationPipe {
  return new InputPipe({
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
