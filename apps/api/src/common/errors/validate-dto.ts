import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import { createValidationPipe } from './validation.js';

const pipe = createValidationPipe();

/**
 * Validates a socket payload with the same DTO classes and rules as HTTP; throws
 * DomainError('VALIDATION_FAILED') so the handler's ack carries the field details.
 */
export async function validateDto<T extends object>(cls: ClassConstructor<T>, payload: unknown): Promise<T> {
  const value: unknown = payload ?? {};
  return (await pipe.transform(value, { type: 'body', metatype: cls })) as T;
}

export { plainToInstance, validate };
