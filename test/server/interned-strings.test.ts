// The table behind the one copy of each subscribe query text: equal text back, bounded in
// entries and in what it keeps, the least recently asked-for entry let go first.
import { describe, expect, it } from 'vitest';
import { InternedStrings } from '../../src/server/interned-strings.ts';

describe('InternedStrings', () => {
  it('hands back text equal to what it was given, keeping one entry per text', () => {
    const table = new InternedStrings(4, 100);
    const query = 'subscription { roomEvents(roomId: "1") { id } }';
    expect(table.intern(query)).toBe(query);
    expect(table.intern(`${query.slice(0, 10)}${query.slice(10)}`)).toBe(query);
    expect(table.size).toBe(1);
  });

  it('keeps at most maxEntries, letting the least recently asked-for go first', () => {
    const table = new InternedStrings(2, 100);
    table.intern('a');
    table.intern('b');
    table.intern('a');
    table.intern('c');
    expect([table.has('a'), table.has('b'), table.has('c')]).toEqual([true, false, true]);
    table.intern('b');
    expect([table.has('a'), table.has('b'), table.has('c')]).toEqual([false, true, true]);
    expect(table.size).toBe(2);
  });

  it('does not keep text longer than maxLength, nor anything when it may keep nothing', () => {
    const table = new InternedStrings(2, 3);
    expect(table.intern('abcd')).toBe('abcd');
    expect(table.size).toBe(0);
    const none = new InternedStrings(0, 100);
    expect(none.intern('a')).toBe('a');
    expect(none.size).toBe(0);
  });
});
