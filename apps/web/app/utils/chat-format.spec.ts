import { describe, expect, it } from '@jest/globals';
import { dayKey, dayLabel, listTime } from './chat-format';

describe('chat dates', () => {
  const now = new Date(2025, 5, 18, 15, 30).getTime();

  it('labels days', () => {
    expect(dayLabel(new Date(2025, 5, 18, 9).toISOString(), now, 'en')).toBe('today');
    expect(dayLabel(new Date(2025, 5, 17, 23).toISOString(), now, 'en')).toBe('yesterday');
    expect(dayLabel(new Date(2025, 0, 2).toISOString(), now, 'en')).toBe('January 2');
    expect(dayLabel(new Date(2024, 0, 2).toISOString(), now, 'en')).toBe('January 2, 2024');
    expect(dayKey(new Date(2025, 5, 18, 1).toISOString())).toBe(dayKey(new Date(2025, 5, 18, 23).toISOString()));
  });

  it('shows the clock today, the weekday this week, else the date', () => {
    expect(listTime(new Date(2025, 5, 18, 9, 5).toISOString(), now, 'en-GB')).toBe('09:05');
    expect(listTime(new Date(2025, 5, 16, 9).toISOString(), now, 'en')).toBe('Mon');
    expect(listTime(new Date(2025, 2, 1).toISOString(), now, 'en')).toBe('Mar 1');
  });
});
