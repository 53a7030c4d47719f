import { describe, expect, it } from '@jest/globals';
import { ERROR_CODES, ERROR_STATUS } from '@app/contracts';
import { toApiRequestError } from './api-error';

describe('toApiRequestError', () => {
  it('reads the code of a bodiless answer from the same table the API answers with', () => {
    for (const code of ERROR_CODES) {
      const e = toApiRequestError({ status: ERROR_STATUS[code], data: undefined });
      expect({ status: e.status, code: e.code }).toEqual({ status: ERROR_STATUS[code], code });
    }
  });

  it('takes the code from the body when the API sent one', () => {
    const e = toApiRequestError({ status: 416, data: { error: { code: 'RANGE_NOT_SATISFIABLE', message: 'm' } } });
    expect(e.code).toBe('RANGE_NOT_SATISFIABLE');
    expect(e.message).toBe('m');
  });

  it('calls no answer at all (offline) and a gateway error UNAVAILABLE', () => {
    expect(toApiRequestError(new Error('fetch failed')).code).toBe('UNAVAILABLE');
    expect(toApiRequestError({ status: 502 }).code).toBe('UNAVAILABLE');
    expect(toApiRequestError({ status: 504 }).code).toBe('UNAVAILABLE');
  });
});
