import { describe, expect, it } from '@jest/globals';
import { ERROR_CODES, ERROR_STATUS, codeOfStatus, statusOfCode } from './errors.js';

describe('the error code → status table', () => {
  it('has exactly one entry per error code', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('gives every code its own status, so a status names one code back', () => {
    const statuses = ERROR_CODES.map(statusOfCode);
    expect(new Set(statuses).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(codeOfStatus(statusOfCode(code))).toBe(code);
  });

  it('answers client errors with 4xx and only the server-side codes with 5xx', () => {
    const fivexx = ERROR_CODES.filter((code) => statusOfCode(code) >= 500).sort();
    expect(fivexx).toEqual(['INTERNAL', 'UNAVAILABLE']);
    for (const code of ERROR_CODES) expect(statusOfCode(code)).toBeGreaterThanOrEqual(400);
  });

  it('reads statuses no code owns: a proxy 502/504 is UNAVAILABLE, 422 is VALIDATION_FAILED, others INTERNAL', () => {
    expect(codeOfStatus(502)).toBe('UNAVAILABLE');
    expect(codeOfStatus(504)).toBe('UNAVAILABLE');
    expect(codeOfStatus(422)).toBe('VALIDATION_FAILED');
    expect(codeOfStatus(418)).toBe('INTERNAL');
    expect(codeOfStatus(200)).toBe('INTERNAL');
  });
});
