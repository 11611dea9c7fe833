import { describe, expect, it } from 'vitest';
import { DedupWindow } from '../../src/collectors/push/dedup-window.ts';
import { fullJitterDelay } from '../../src/collectors/backoff.ts';
import { cursorPosition, isNumberedPosition } from '../../src/collectors/push/cursor.ts';

describe('DedupWindow', () => {
  it('admits an id once within the window', () => {
    const window = new DedupWindow(3);
    expect(['a', 'b', 'a', 'c', 'b'].map((id) => window.admit(id))).toEqual([true, true, false, true, false]);
  });

  it('forgets the oldest id once full, and stays bounded', () => {
    const window = new DedupWindow(2);
    window.admit('a');
    window.admit('b');
    window.admit('c');
    expect(window.size).toBe(2);
    expect(window.admit('a')).toBe(true);
    expect(window.admit('c')).toBe(false);
  });

  it('refuses a zero capacity', () => {
    expect(() => new DedupWindow(0)).toThrow(RangeError);
  });
});

describe('fullJitterDelay', () => {
  const policy = { baseMs: 1_000, capMs: 60_000 };
  it('grows exponentially up to the cap', () => {
    expect([0, 1, 2, 10].map((attempt) => fullJitterDelay(attempt, policy, () => 0.999_999))).toEqual([999, 1_999, 3_999, 59_999]);
  });
  it('spreads over the whole range', () => {
    expect(fullJitterDelay(3, policy, () => 0)).toBe(0);
    expect(fullJitterDelay(3, policy, () => 0.5)).toBe(4_000);
  });
});

describe('cursorPosition', () => {
  it('reads the r- part of a Douyin cursor exactly, beyond 2^53', () => {
    expect(cursorPosition('t-1790519971067_r-1_d-1_u-1')).toBe(1n);
    expect(cursorPosition('t-1790519971067_r-7690183442860198742_d-1_u-1')).toBe(7690183442860198742n);
    expect(cursorPosition('h-1_t-1790519970273_r-1_d-1_u-1')).toBe(1n);
    expect(cursorPosition('garbage')).toBeNull();
  });
  it('treats Douyin\'s constant r-1 as unnumbered', () => {
    expect(isNumberedPosition(1n)).toBe(false);
    expect(isNumberedPosition(null)).toBe(false);
    expect(isNumberedPosition(7690183442860198742n)).toBe(true);
  });
});
