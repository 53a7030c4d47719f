import { describe, expect, it } from '@jest/globals';
import { validTimeZone } from './time-zone';

describe('validTimeZone', () => {
  it('accepts IANA zones, in their canonical spelling', () => {
    expect(validTimeZone('Europe/Moscow')).toBe('Europe/Moscow');
    expect(validTimeZone('europe/moscow')).toBe('Europe/Moscow');
    expect(validTimeZone('UTC')).toBe('UTC');
    expect(validTimeZone('America/Sao_Paulo')).toBe('America/Sao_Paulo');
  });

  it('refuses anything else', () => {
    for (const bad of ['', 'Mars/Olympus', 'Europe/Moscow; path=/', '<script>', 'a'.repeat(65), null, undefined, 3, ['UTC']]) {
      expect(validTimeZone(bad)).toBeNull();
    }
  });
});
