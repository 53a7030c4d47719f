import { DomainError } from '../errors/domain-error.js';
import { decodeCursor, encodeCursor, isFiniteNumber, isIsoTime, isUuid, slicePage } from './cursor.js';

const id = '0b7c6f0e-9a4e-4f51-8d0c-2f7d3c1b9a10';

describe('keyset cursors', () => {
  it('round-trip a tuple exactly, floats included', () => {
    const score = 2.3333333432674408;
    const cursor = encodeCursor([score, id]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor<[number, string]>(cursor, [isFiniteNumber, isUuid])).toEqual([score, id]);
  });

  it.each([
    ['not base64 json', 'bm90IGpzb24'],
    ['wrong arity', encodeCursor([id])],
    ['wrong type', encodeCursor(['2024-01-01T00:00:00.000Z', 5])],
    ['a time SQL would choke on', encodeCursor(['tomorrow', id])],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
  ])('refuse %s with a 400 on the cursor field', (_name, cursor) => {
    const attempt = (): unknown => decodeCursor<[string, string]>(cursor, [isIsoTime, isUuid]);
    expect(attempt).toThrow(DomainError);
    try {
      attempt();
    } catch (e) {
      expect((e as DomainError).code).toBe('VALIDATION_FAILED');
      expect((e as DomainError).details?.[0].field).toBe('cursor');
    }
  });

  it('slice limit + 1 rows into a page and a "more" flag', () => {
    expect(slicePage([1, 2, 3], 2)).toEqual({ rows: [1, 2], more: true });
    expect(slicePage([1, 2], 2)).toEqual({ rows: [1, 2], more: false });
  });
});
