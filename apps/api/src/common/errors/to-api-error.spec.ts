import { describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { ERROR_CODES, ERROR_STATUS } from '@app/contracts';
import { DomainError } from './domain-error.js';
import { toApiError } from './to-api-error.js';

describe('toApiError', () => {
  it('answers every DomainError with the status from the contract table', () => {
    for (const code of ERROR_CODES) {
      const mapped = toApiError(new DomainError(code, 'm'));
      expect({ code, status: mapped.status }).toEqual({ code, status: ERROR_STATUS[code] });
      expect(mapped.body.code).toBe(code);
    }
  });

  it('names the code of a framework HttpException from its status, with a generic message', () => {
    for (const code of ERROR_CODES.filter((c) => c !== 'INTERNAL')) {
      const mapped = toApiError(new HttpException('internal detail', ERROR_STATUS[code]));
      expect(mapped.body.code).toBe(code);
      expect(mapped.status).toBe(ERROR_STATUS[code]);
      expect(mapped.body.message).not.toContain('internal detail');
    }
  });

  it('hides anything unknown behind 500 INTERNAL', () => {
    const mapped = toApiError(new Error('secret'));
    expect(mapped).toEqual({ status: 500, body: { code: 'INTERNAL', message: 'Internal error' }, unexpected: true });
  });
});
