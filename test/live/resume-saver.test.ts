import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SavedResumePoint } from '../../src/domain/resume-point.ts';
import { ResumeSaver } from '../../src/live/resume-saver.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const point = (n: number) => ({ cursor: `t-${n}_r-${7_690_000_000_000_000_000n + BigInt(n)}_d-1_u-1`, internalExt: `seq:${n}` });

describe('ResumeSaver', () => {
  it("writes a room's first point at once, then the newest at most once per interval", async () => {
    const saved: [string, SavedResumePoint][] = [];
    const saver = new ResumeSaver({ intervalMs: 1_000, now: () => Date.now(), save: async (roomId, cursor) => void saved.push([roomId, cursor]) });
    const written = () => saved.map(([roomId, cursor]) => [roomId, cursor.internalExt]);
    for (let n = 1; n <= 5; n += 1) saver.stored('room-a', point(n));
    saver.stored('room-b', point(9));
    expect(written()).toEqual([
      ['room-a', 'seq:1'],
      ['room-b', 'seq:9'],
    ]);
    await vi.advanceTimersByTimeAsync(999);
    expect(written()).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(written()).toEqual([
      ['room-a', 'seq:1'],
      ['room-b', 'seq:9'],
      ['room-a', 'seq:5'],
    ]);
    // Quiet for longer than an interval: the next point is written at once again.
    await vi.advanceTimersByTimeAsync(5_000);
    saver.stored('room-a', point(6));
    expect(written().at(-1)).toEqual(['room-a', 'seq:6']);
    expect(written()).toHaveLength(4);
  });

  it('writes what is pending at once on flush, and reports a failed write', async () => {
    const errors: unknown[] = [];
    const saved: string[] = [];
    const saver = new ResumeSaver({
      save: async (roomId) => {
        if (roomId === 'broken') throw new Error('store down');
        saved.push(roomId);
      },
      onError: (error) => errors.push(error),
    });
    saver.stored('room-a', point(1));
    saver.stored('broken', point(2));
    await saver.flush();
    expect(saved).toEqual(['room-a']);
    expect(errors).toHaveLength(1);
  });
});
