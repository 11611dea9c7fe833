import { describe, expect, it } from 'vitest';
import { SeenUsers } from '../../src/store/seen-users.ts';
import { user } from './fixtures.ts';

const HOUR = 3_600_000;

describe('SeenUsers', () => {
  it('passes a user the first time, again when the profile changes or the refresh is due', () => {
    const seen = new SeenUsers(100, HOUR);
    const alice = user('1');
    expect(seen.takeChanged([alice], 0)).toEqual([alice]);
    expect(seen.takeChanged([alice], 1000)).toEqual([]);
    const renamed = { ...alice, nickname: 'alice2' };
    expect(seen.takeChanged([renamed], 2000)).toEqual([renamed]);
    expect(seen.takeChanged([renamed], 2000 + HOUR - 1)).toEqual([]);
    expect(seen.takeChanged([renamed], 2000 + HOUR)).toEqual([renamed]);
  });

  it('retries a forgotten user and evicts the longest-unseen beyond its bound', () => {
    const seen = new SeenUsers(2, HOUR);
    const [a, b, c] = [user('1'), user('2'), user('3')];
    seen.takeChanged([a, b], 0);
    seen.forget([a]);
    expect(seen.takeChanged([a, b], 1)).toEqual([a]);
    seen.takeChanged([c], 2);
    expect(seen.size).toBe(2);
    // b was seen longest ago (a was re-taken after it), so b went.
    expect(seen.takeChanged([a, b, c], 3)).toEqual([b]);
  });
});
