// The rule that decides, after a reconnect, whether the first frame with messages proves the
// resume complete: a table of positions as the simulator numbers them and as Douyin sends them.
import { describe, expect, it } from 'vitest';
import { judgeContinuity, judgeResume, type ResumeCheck } from '../../src/collectors/push/cursor.ts';

const ROOM = 7690183442860198697n;
const base: ResumeCheck = { resumedWithCursor: true, previous: ROOM + 100n, position: ROOM + 105n, messageCount: 5, allSeen: false };

describe('judgeResume', () => {
  it.each<[string, Partial<ResumeCheck>, ReturnType<typeof judgeResume>]>([
    ['continues right after the last message', {}, 'complete'],
    ['overlaps what was received (the upstream re-sent some)', { position: ROOM + 103n }, 'complete'],
    ['one message beyond', { position: ROOM + 101n, messageCount: 1 }, 'complete'],
    ['skips one message', { position: ROOM + 106n }, 'skipped'],
    ['skips many', { position: ROOM + 5_000n, messageCount: 20 }, 'skipped'],
    ['replays only old messages', { position: ROOM + 90n, allSeen: true }, 'undecided'],
    ['numbers new messages below ours (it restarted)', { position: ROOM + 5n }, { gap: 'the upstream no longer numbers messages after the last cursor (it did not know it)' }],
    ['sends Douyin’s r-1', { previous: null, position: 1n }, { gap: 'resumed with a cursor whose positions cannot prove that nothing was missed' }],
    ['sends r-1 after numbered frames', { position: 1n }, { gap: 'resumed with a cursor whose positions cannot prove that nothing was missed' }],
    ['sends no cursor at all', { position: null }, { gap: 'resumed with a cursor whose positions cannot prove that nothing was missed' }],
    ['reconnected without a cursor', { resumedWithCursor: false }, { gap: 'reconnected without a resume cursor' }],
  ])('%s', (_name, change, expected) => {
    expect(judgeResume({ ...base, ...change })).toEqual(expected);
  });
});

describe('judgeContinuity (while connected)', () => {
  it.each<[string, bigint | null, bigint | null, number, ReturnType<typeof judgeContinuity>]>([
    ['the next message', ROOM + 100n, ROOM + 101n, 1, 'complete'],
    ['a frame that starts right after', ROOM + 100n, ROOM + 120n, 20, 'complete'],
    ['a frame one message beyond', ROOM + 100n, ROOM + 121n, 20, 'skipped'],
    ['a frame far beyond (a stall)', ROOM + 100n, ROOM + 600n, 5, 'skipped'],
    ['nothing received yet', null, ROOM + 600n, 5, 'complete'],
    ['Douyin’s r-1', ROOM + 100n, 1n, 5, 'complete'],
    ['no cursor', ROOM + 100n, null, 5, 'complete'],
  ])('%s', (_name, previous, position, count, expected) => {
    expect(judgeContinuity(previous, position, count)).toBe(expected);
  });
});
