import type { AppConfig } from '../config/app-config.js';
import { KEY_WINDOW_MS, MediaKeys } from './media-keys.js';

const config = (secret: string): AppConfig => ({ jwt: { secret } }) as AppConfig;
const holder = { userId: '0b7c6f0e-9a4e-4f51-8d0c-2f7d3c1b9a10', sessionId: '5d1c9c2e-3b7a-4e2f-9a61-0c2d7e8f9a1b' };

describe('MediaKeys', () => {
  const keys = new MediaKeys(config('a'.repeat(40)));
  const start = 1_700_000_000_000 - (1_700_000_000_000 % KEY_WINDOW_MS);

  it('gives the same key all through a window, and a new one in the next', () => {
    const a = keys.mint(holder, start + 1);
    expect(keys.mint(holder, start + KEY_WINDOW_MS - 1)).toEqual(a);
    expect(keys.mint(holder, start + KEY_WINDOW_MS).key).not.toBe(a.key);
    expect(a.expiresAt).toBe(new Date(start + 2 * KEY_WINDOW_MS).toISOString());
  });

  it('verifies its own keys until they expire, and nothing else', () => {
    const { key } = keys.mint(holder, start);
    expect(keys.verify(key, start)).toEqual(holder);
    expect(keys.verify(key, start + 2 * KEY_WINDOW_MS - 1)).toEqual(holder);
    expect(keys.verify(key, start + 2 * KEY_WINDOW_MS)).toBeNull();
    expect(new MediaKeys(config('b'.repeat(40))).verify(key, start)).toBeNull();
    const parts = key.split('.');
    expect(keys.verify([parts[0], parts[2], parts[1], parts[3], parts[4]].join('.'), start)).toBeNull();
    expect(keys.verify(`${key}x`, start)).toBeNull();
    expect(keys.verify('', start)).toBeNull();
  });
});
