// The simulator's small pure pieces, on tables of inputs.
import { describe, expect, it } from 'vitest';
import { BoundedLog } from '../../src/simulator/bounded-log.ts';
import { cursorSeq, formatCursor, parseCursor, roomCursorPosition } from '../../src/simulator/cursor.ts';
import { FaultRegistry } from '../../src/simulator/faults.ts';
import { formatCount, formatCountCapped } from '../../src/simulator/format.ts';
import { IdSequence, newRoomId } from '../../src/simulator/ids.ts';
import { toJson } from '../../src/simulator/json.ts';
import { levelForDiamonds, payGrade } from '../../src/simulator/pay-grade.ts';
import { createPrng } from '../../src/simulator/prng.ts';

describe('cursor', () => {
  const roomId = '7690183442860198697';

  it.each([
    ['t-1790519971067_r-7690224709690737126_d-1_u-1', 1790519971067, 7690224709690737126n],
    ['h-1_t-1790519970273_r-1_d-1_u-1', 1790519970273, 1n],
    ['d-1_u-1_fh-7690_t-1790519970273_r-1', 1790519970273, 1n],
    ['nonsense', null, null],
  ])('parses %s', (text, timeMs, position) => {
    expect(parseCursor(text)).toEqual({ timeMs, position });
  });

  it('maps this room’s cursors back to their seq and refuses others', () => {
    const cursor = formatCursor(1_790_000_000_000, roomCursorPosition(roomId, 42));
    expect(cursor).toBe(`t-1790000000000_r-${BigInt(roomId) + 42n}_d-1_u-1`);
    expect(cursorSeq(roomId, cursor, 50)).toBe(42);
    expect(cursorSeq(roomId, cursor, 41)).toBeNull();
    // Another broadcast: another start second (high 32 bits), so its positions are far away.
    expect(cursorSeq('7690183447155166000', cursor, 5000)).toBeNull();
    expect(cursorSeq(roomId, 'h-1_t-1_r-1_d-1_u-1', 50)).toBeNull();
  });
});

describe('BoundedLog', () => {
  it('keeps the newest entries and counts what it dropped', () => {
    const log = new BoundedLog<number>(3);
    for (let i = 1; i <= 10; i++) log.push(i);
    expect(log.toArray()).toEqual([8, 9, 10]);
    expect(log.evicted).toBe(7);
    expect(log.first()).toBe(8);
    expect(log.tailWhile((n) => n <= 8)).toEqual([9, 10]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new BoundedLog(0)).toThrow(RangeError);
    expect(() => new BoundedLog(1.5)).toThrow(RangeError);
  });
});

describe('ids', () => {
  it('puts the start second in the high 32 bits of a room_id', () => {
    const id = newRoomId(1_790_510_360_123, createPrng('ids'));
    expect(id).toMatch(/^\d{19}$/);
    expect(BigInt(id) >> 32n).toBe(1_790_510_360n);
  });

  it('never repeats a msg id within a slot, and differs between slots', () => {
    const a = new IdSequence(1);
    const b = new IdSequence(2);
    const now = 1_790_510_360_000;
    const fromA = Array.from({ length: 5_000 }, () => a.next(now));
    expect(new Set(fromA).size).toBe(5_000);
    expect(fromA).not.toContain(b.next(now));
    expect(BigInt(fromA[0]!) >> 32n).toBe(1_790_510_360n);
  });
});

describe('toJson', () => {
  it('writes BigInt as the exact bare number and everything else as JSON.stringify does', () => {
    expect(toJson({ id: 7690183442860198697n, id_str: '7690183442860198697', n: 1, s: 'a"b' })).toBe(
      '{"id":7690183442860198697,"id_str":"7690183442860198697","n":1,"s":"a\\"b"}',
    );
  });
});

describe('pay grade', () => {
  it.each([
    // Level bands from the vendor's rank-list samples.
    [0, 1],
    [48, 5],
    [1_697, 16],
    [3_900, 20],
    [16_000, 25],
    [19_000, 25],
    [210_000_000, 60],
  ])('%i diamonds is level %i', (diamonds, level) => {
    expect(levelForDiamonds(diamonds)).toBe(level);
  });

  it('describes the way to the next level', () => {
    const grade = payGrade(48);
    expect(grade.minDiamonds).toBeLessThanOrEqual(48);
    expect(grade.maxDiamonds).toBeGreaterThan(48);
    expect(grade.describe).toBe(`距离6级还差${grade.maxDiamonds - 48}抖币`);
  });
});

describe('counts as Douyin displays them', () => {
  it.each([
    [2, '2', '2'],
    [9_812, '9812', '9812'],
    [10_371, '1.0万', '1.0万'],
    [305_503, '30.6万', '10万+'],
    [123_456_789, '1.2亿', '10万+'],
  ])('%i → %s / %s', (n, display, capped) => {
    expect(formatCount(n)).toBe(display);
    expect(formatCountCapped(n)).toBe(capped);
  });
});

describe('prng', () => {
  it('repeats a sequence from a seed, and forks independent streams', () => {
    const take = (seed: string) => Array.from({ length: 5 }, createPrng(seed).uint32);
    expect(take('x')).toEqual(take('x'));
    expect(take('x')).not.toEqual(take('y'));
    const parent = createPrng('p');
    const fork = parent.fork('child');
    const before = parent.next();
    expect(createPrng('p').next()).toBe(before);
    expect(fork.next()).toBe(createPrng('p').fork('child').next());
  });

  it('respects weights and ranges', () => {
    const prng = createPrng('weights');
    const picks = Array.from({ length: 2_000 }, () => prng.weighted([['a', 9], ['b', 1], ['c', 0]] as const));
    expect(picks.filter((p) => p === 'c')).toHaveLength(0);
    expect(picks.filter((p) => p === 'a').length).toBeGreaterThan(1_600);
    const ints = Array.from({ length: 500 }, () => prng.int(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    expect(prng.digits(12)).toMatch(/^[1-9]\d{11}$/);
  });
});

describe('FaultRegistry', () => {
  it('matches push rules by room or connection and retires them after `times`', () => {
    const faults = new FaultRegistry();
    faults.add({ roomId: 'r1' }, { kind: 'stall' });
    const corrupt = faults.add({ connectionId: 'c2' }, { kind: 'corrupt-frame', corruption: 'bad-gzip' });
    expect(faults.forConnection('stall', 'r1', 'c9')).toHaveLength(1);
    expect(faults.forConnection('stall', 'r2', 'c9')).toHaveLength(0);
    expect(faults.forConnection('corrupt-frame', 'r2', 'c2')).toHaveLength(1);
    faults.consume(corrupt);
    expect(faults.forConnection('corrupt-frame', 'r2', 'c2')).toHaveLength(0);
  });

  it('matches HTTP rules by path, or every path when untargeted', () => {
    const faults = new FaultRegistry();
    faults.add({ path: '/webcast/feed/' }, { kind: 'empty-body' }, 2);
    expect(faults.forHttp('/webcast/feed/')?.fault.kind).toBe('empty-body');
    expect(faults.forHttp('/webcast/gift/list/')).toBeUndefined();
    faults.add({}, { kind: 'hang' });
    expect(faults.forHttp('/webcast/gift/list/')?.fault.kind).toBe('hang');
    expect(() => faults.remove('fault-99')).toThrow(/no fault fault-99/);
  });
});
