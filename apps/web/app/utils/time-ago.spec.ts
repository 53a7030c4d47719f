import { describe, expect, it } from '@jest/globals';
import { timeAgo } from './time-ago';

describe('timeAgo', () => {
  const now = Date.parse('2025-06-18T15:30:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it('is null under a minute (the caller says "just now")', () => {
    expect(timeAgo(ago(59_000), now, 'en', 'UTC')).toBeNull();
    expect(timeAgo(ago(-5_000), now, 'en', 'UTC')).toBeNull();
  });

  it('counts minutes, hours and days, then shows the date', () => {
    expect(timeAgo(ago(5 * 60_000), now, 'en', 'UTC')).toBe('5 minutes ago');
    expect(timeAgo(ago(3 * 3_600_000), now, 'en', 'UTC')).toBe('3 hours ago');
    expect(timeAgo(ago(26 * 3_600_000), now, 'en', 'UTC')).toBe('yesterday');
    expect(timeAgo(ago(3 * 86_400_000), now, 'en', 'UTC')).toBe('3 days ago');
    expect(timeAgo('2025-05-02T10:00:00Z', now, 'en', 'UTC')).toBe('May 2, 2025');
  });

  it('prints an older date in the user\'s time zone, not in UTC', () => {
    expect(timeAgo('2025-05-02T22:30:00Z', now, 'en', 'Europe/Moscow')).toBe('May 3, 2025');
    expect(timeAgo('2025-05-02T22:30:00Z', now, 'en', 'America/New_York')).toBe('May 2, 2025');
  });

  it('speaks Russian', () => {
    expect(timeAgo(ago(5 * 60_000), now, 'ru', 'UTC')).toBe('5 минут назад');
    expect(timeAgo(ago(26 * 3_600_000), now, 'ru', 'UTC')).toBe('вчера');
  });

  it('ignores a malformed time', () => {
    expect(timeAgo('not a date', now, 'en', 'UTC')).toBeNull();
  });
});
