import { describe, expect, it } from '@jest/globals';
import { clampRatio, formatBytes, formatDuration } from './media-format';

describe('media formatting', () => {
  it('formats durations', () => {
    expect(formatDuration(null)).toBe('0:00');
    expect(formatDuration(1000)).toBe('0:01');
    expect(formatDuration(7_400)).toBe('0:07');
    expect(formatDuration(723_000)).toBe('12:03');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(4_200_000)).toBe('4.2 MB');
    expect(formatBytes(830_000)).toBe('830 KB');
  });

  it('clamps ratios', () => {
    expect(clampRatio(800, 600)).toBeCloseTo(4 / 3);
    expect(clampRatio(100, 1000)).toBe(0.6);
    expect(clampRatio(5000, 100)).toBe(1.9);
    expect(clampRatio(0, 0)).toBe(1);
  });
});
