import { describe, expect, it } from '@jest/globals';
import { moveDelayMs } from './realtime-move';

describe('moveDelayMs', () => {
  it('reconnects within a second when a stopping server closed the socket', () => {
    expect(moveDelayMs('io server disconnect', true, 0)).toBe(100);
    expect(moveDelayMs('io server disconnect', true, 1)).toBe(600);
  });

  it('leaves other disconnects alone: a session closed by the server stays closed, a lost link retries by itself', () => {
    expect(moveDelayMs('io server disconnect', false, 0.5)).toBeNull();
    expect(moveDelayMs('transport close', true, 0.5)).toBeNull();
  });
});
