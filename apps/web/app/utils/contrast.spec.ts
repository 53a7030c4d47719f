import { describe, expect, it } from '@jest/globals';
import { ACCENT_COLORS } from '@app/contracts';
import { AA_TEXT, contrastRatio, textColorOn } from './contrast';

describe('contrast', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // The former default accent: 3.68:1 with white, short of AA.
    expect(contrastRatio('#3b82f6', '#ffffff')).toBeCloseTo(3.68, 2);
  });

  it('every offered accent carries white text at AA', () => {
    for (const c of ACCENT_COLORS) {
      expect(textColorOn(c)).toBe('#ffffff');
      expect(contrastRatio(c, '#ffffff')).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });

  it('a light custom accent gets dark text, readable at AA', () => {
    for (const c of ['#f59e0b', '#10b981', '#ffff00', '#3b82f6']) {
      const text = textColorOn(c);
      expect(text).toBe('#000000');
      expect(contrastRatio(c, text)).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });
});
