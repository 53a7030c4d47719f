import { answerRange } from './range.js';

describe('answerRange', () => {
  it.each([
    ['bytes=0-99', { status: 206, range: { start: 0, end: 99 } }],
    ['bytes=900-', { status: 206, range: { start: 900, end: 999 } }],
    ['bytes=-100', { status: 206, range: { start: 900, end: 999 } }],
    ['bytes=-5000', { status: 206, range: { start: 0, end: 999 } }],
    ['bytes=990-5000', { status: 206, range: { start: 990, end: 999 } }],
    ['bytes=999-999', { status: 206, range: { start: 999, end: 999 } }],
    ['bytes=1000-', { status: 416 }],
    ['bytes=1000-1001', { status: 416 }],
    ['bytes=-0', { status: 416 }],
    ['bytes=5-1', { status: 200 }],
    ['bytes=0-1,4-5', { status: 200 }],
    ['bytes=-', { status: 200 }],
    ['pages=1-2', { status: 200 }],
    ['bytes=1e3-', { status: 200 }],
  ])('%s of 1000 bytes', (header, expected) => {
    expect(answerRange(header, 1000)).toEqual(expected);
  });

  it('serves the whole file without a Range, or when If-Range names another version', () => {
    expect(answerRange(undefined, 1000)).toEqual({ status: 200 });
    expect(answerRange('bytes=0-1', 1000, false)).toEqual({ status: 200 });
  });

  it('has nothing to give from an empty file', () => {
    expect(answerRange('bytes=0-', 0)).toEqual({ status: 416 });
    expect(answerRange('bytes=-1', 0)).toEqual({ status: 416 });
  });
});
