import type { ByteRange } from '../storage/storage.js';

export type RangeAnswer =
  | { status: 200 }
  | { status: 206; range: ByteRange }
  | { status: 416 };

const SINGLE = /^bytes=(\d{0,15})-(\d{0,15})$/;

/**
 * RFC 9110 §14 for one representation of `size` bytes. One range is served as 206; a range that
 * starts past the end (or a zero-length suffix) is 416; anything the server may ignore — several
 * ranges, bad syntax, last < first, an If-Range that no longer matches — gets the whole file (200).
 */
export function answerRange(header: string | undefined, size: number, ifRangeMatches = true): RangeAnswer {
  if (!header || !ifRangeMatches) return { status: 200 };
  const match = SINGLE.exec(header.trim());
  if (!match) return { status: 200 };
  const [, first, last] = match;
  if (first === '' && last === '') return { status: 200 };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { status: 416 };
    return { status: 206, range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (end < start) return { status: 200 };
  if (start >= size) return { status: 416 };
  return { status: 206, range: { start, end: Math.min(end, size - 1) } };
}
