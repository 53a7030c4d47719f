import { describe, expect, it } from '@jest/globals';
import { timeAgo } from './time-ago';

describe('timeAgo', () => {
  const now = Date.parse('2025-06-18T15:30:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it('is null under a minute (the caller says "just now")', () => {
    expect(timeAgo(ago(59_000), now, 'en')).toBeNull();
    expect(timeAgo(ago(-5_000), now, 'en')).toBeNull();
  });

  it('counts minutes, hours and days, then shows the date', () => {
    expect(timeAgo(ago(5 * 60_000), now, 'en')).toBe('5 minutes ago');
    expect(timeAgo(ago(3 * 3_600_000), now, 'en')).toBe('3 hours ago');
    expect(timeAgo(ago(26 * 3_600_000), now, 'en')).toBe('yesterday');
    expect(timeAgo(ago(3 * 86_400_000), now, 'en')).toBe('3 days ago');
    expect(timeAgo('2025-05-02T10:00:00Z', now, 'en')).toBe('May 2, 2025');
  });

  it('speaks Russian', () => {
    expect(timeAgo(ago(5 * 60_000), now, 'ru')).toBe('5 минут назад');
    expect(timeAgo(ago(26 * 3_600_000), now, 'ru')).toBe('вчера');
  });

  it('ignores a malformed time', () => {
    expect(timeAgo('not a date', now, 'en')).toBeNull();
  });
});
