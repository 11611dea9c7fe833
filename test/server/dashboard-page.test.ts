// The dashboard's pure parts: the viewer chart's path, counts in Chinese units, ticker lines.
import { describe, expect, it } from 'vitest';
import { linePath } from '../../src/server/dashboard/page/chart.ts';
import { tickerLine } from '../../src/server/dashboard/page/events.ts';
import { compactCount, stateTone } from '../../src/server/dashboard/page/format.ts';

const BOX = { width: 100, height: 50, padding: 0 };

describe('linePath', () => {
  it.each([
    ['no points', [], ''],
    ['one point: the right edge, mid-height', [{ at: 5, value: 7 }], 'M100.0,25.0'],
    ['rising: bottom-left to top-right', [{ at: 0, value: 10 }, { at: 10, value: 20 }], 'M0.0,50.0 L100.0,0.0'],
    ['a dip in the middle', [{ at: 0, value: 4 }, { at: 5, value: 0 }, { at: 10, value: 4 }], 'M0.0,0.0 L50.0,50.0 L100.0,0.0'],
    ['flat: mid-height', [{ at: 0, value: 3 }, { at: 4, value: 3 }], 'M0.0,25.0 L100.0,25.0'],
  ])('%s', (_name, points, path) => {
    expect(linePath(points, BOX)).toBe(path);
  });

  it('keeps the padding free', () => {
    expect(linePath([{ at: 0, value: 0 }, { at: 1, value: 1 }], { width: 100, height: 50, padding: 5 })).toBe('M5.0,45.0 L95.0,5.0');
  });
});

describe('compactCount', () => {
  it.each([
    [null, '—'],
    [0, '0'],
    [9_999, '9999'],
    [10_000, '1万'],
    [12_345, '1.2万'],
    [1_234_567, '123万'],
    [250_000_000, '2.5亿'],
  ])('%s → %s', (value, text) => {
    expect(compactCount(value)).toBe(text);
  });
});

describe('stateTone', () => {
  it.each([
    ['LIVE', 'live'],
    ['WAITING_FOR_LIVE', 'waiting'],
    ['ENDED', 'ended'],
    ['UPSTREAM_UNREACHABLE', 'trouble'],
    ['UPSTREAM_DEGRADED', 'trouble'],
    [null, 'idle'],
  ] as const)('%s → %s', (state, tone) => {
    expect(stateTone(state)).toBe(tone);
  });
});

describe('tickerLine', () => {
  const base = { id: '1', roomId: '7300000000000000001', createdAt: '2026-09-27T00:00:00.000Z', user: { id: '9', nickname: '小明' } };

  it('shows a chat, a finished gift combo and a follow; skips a combo in progress and counts', () => {
    expect(tickerLine({ ...base, __typename: 'ChatEvent', content: '你好' })).toEqual({ kind: 'chat', who: '小明', text: '你好' });
    expect(tickerLine({ ...base, __typename: 'GiftEvent', phase: 'FINAL', totalCount: 3, totalDiamonds: 30, gift: { name: '玫瑰' } })).toEqual({
      kind: 'gift',
      who: '小明',
      text: '送出 玫瑰 ×3 · 30 钻',
    });
    expect(tickerLine({ ...base, __typename: 'FollowEvent' })?.kind).toBe('follow');
    expect(tickerLine({ ...base, __typename: 'GiftEvent', phase: 'PROGRESS', totalCount: 2, totalDiamonds: 20, gift: { name: '玫瑰' } })).toBeNull();
    expect(tickerLine({ ...base, __typename: 'ViewerCountEvent', current: 5 })).toBeNull();
  });
});
