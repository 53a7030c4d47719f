import { describe, expect, it } from '@jest/globals';
import { clockTime, dayKey, dayLabel, formatDate, listTime } from './chat-format';

const MSK = 'Europe/Moscow';
const NY = 'America/New_York';

describe('chat dates', () => {
  // 15:30 in Moscow, 12:30 UTC.
  const now = Date.parse('2025-06-18T12:30:00Z');

  it('shows the clock in the given time zone, whatever the process zone', () => {
    expect(clockTime('2025-06-18T09:05:00Z', 'en-GB', 'UTC')).toBe('09:05');
    expect(clockTime('2025-06-18T09:05:00Z', 'en-GB', MSK)).toBe('12:05');
    expect(clockTime('2025-06-18T09:05:00Z', 'en-GB', NY)).toBe('05:05');
  });

  it('keys a day by the calendar of the zone', () => {
    expect(dayKey('2025-06-17T22:30:00Z', 'UTC')).toBe('2025-06-17');
    expect(dayKey('2025-06-17T22:30:00Z', MSK)).toBe('2025-06-18');
    expect(dayKey('2025-06-18T00:30:00+03:00', MSK)).toBe(dayKey('2025-06-18T23:30:00+03:00', MSK));
  });

  it('labels days in the zone: late evening UTC is already today in Moscow', () => {
    const lateUtc = '2025-06-17T22:30:00Z'; // 01:30 on the 18th in Moscow
    expect(dayLabel(lateUtc, now, 'en', 'UTC')).toBe('yesterday');
    expect(dayLabel(lateUtc, now, 'en', MSK)).toBe('today');
    expect(dayLabel('2025-06-17T20:00:00Z', now, 'en', MSK)).toBe('yesterday'); // 23:00 on the 17th in Moscow
    expect(dayLabel('2025-06-16T22:00:00Z', now, 'en', 'UTC')).toBe('June 16');
    expect(dayLabel('2025-01-02T12:00:00Z', now, 'en', MSK)).toBe('January 2');
    expect(dayLabel('2024-01-02T12:00:00Z', now, 'en', MSK)).toBe('January 2, 2024');
    expect(dayLabel('2024-12-31T22:00:00Z', now, 'en', MSK)).toBe('January 1'); // new year already in Moscow
  });

  it('finds yesterday by the calendar across a 23-hour DST day', () => {
    // New York sprang forward on 2025-03-09: 00:30 on the 10th is only 23.5 hours after 00:00 on the 9th.
    const justAfterMidnight = Date.parse('2025-03-10T00:30:00-04:00');
    expect(dayLabel('2025-03-09T12:00:00-04:00', justAfterMidnight, 'en', NY)).toBe('yesterday');
    expect(dayLabel('2025-03-08T23:30:00-05:00', justAfterMidnight, 'en', NY)).toBe('March 8');
  });

  it('shows the clock today, the weekday this week, else the date', () => {
    expect(listTime('2025-06-18T06:05:00Z', now, 'en-GB', MSK)).toBe('09:05');
    expect(listTime('2025-06-16T09:00:00Z', now, 'en', MSK)).toBe('Mon');
    expect(listTime('2025-03-01T12:00:00Z', now, 'en', MSK)).toBe('Mar 1');
    expect(listTime('2024-03-01T12:00:00Z', now, 'en', MSK)).toBe('Mar 1, 2024');
    // 21:30 UTC on the 17th is yesterday in UTC but 00:30 today in Moscow: the clock, not the weekday.
    expect(listTime('2025-06-17T21:30:00Z', now, 'en-GB', 'UTC')).toBe('Tue');
    expect(listTime('2025-06-17T21:30:00Z', now, 'en-GB', MSK)).toBe('00:30');
  });

  it('formats any date in the zone', () => {
    expect(formatDate('2025-06-17T22:30:00Z', 'en', MSK, { dateStyle: 'medium' })).toBe('Jun 18, 2025');
    expect(formatDate('2025-06-17T22:30:00Z', 'en', 'UTC', { dateStyle: 'medium' })).toBe('Jun 17, 2025');
  });
});
