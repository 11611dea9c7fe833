import { describe, expect, it } from 'vitest';
import type { GiftEvent } from '../../src/domain/events.ts';
import { GiftLedger } from '../../src/collectors/gift-ledger.ts';

const rose = { id: '463', name: '玫瑰', diamondCount: 1, combo: true, image: null, type: 1 };
const car = { id: '3', name: '跑车', diamondCount: 1200, combo: false, image: null, type: 2 };

let serial = 0;
function gift(overrides: Partial<GiftEvent>): GiftEvent {
  serial += 1;
  return {
    type: 'GiftEvent',
    id: String(7_000_000_000_000_000_000n + BigInt(serial)),
    roomId: '7690183442860198697',
    method: 'WebcastGiftMessage',
    createdAt: 1_790_000_000_000,
    user: { id: '111', nickname: '观众1' } as GiftEvent['user'],
    cursor: null,
    gift: rose,
    toUser: null,
    groupId: '900',
    repeatCount: 1,
    groupCount: 1,
    repeatEnd: false,
    phase: 'STARTED',
    deltaCount: 1,
    totalCount: 1,
    totalDiamonds: 1,
    ...overrides,
  };
}

describe('GiftLedger', () => {
  it('counts a combo once across rising repeat counts and repeat_end', () => {
    const ledger = new GiftLedger();
    const out = [1, 2, 5].map((repeatCount) => ledger.apply(gift({ repeatCount })));
    const final = ledger.apply(gift({ repeatCount: 5, repeatEnd: true }));
    expect(out.map((e) => [e.phase, e.deltaCount, e.totalCount])).toEqual([
      ['STARTED', 1, 1],
      ['PROGRESS', 1, 2],
      ['PROGRESS', 3, 5],
    ]);
    expect([final.phase, final.deltaCount, final.totalCount]).toEqual(['FINAL', 0, 5]);
    const counted = [...out, final].reduce((sum, e) => sum + e.deltaCount, 0);
    expect(counted).toBe(5);
  });

  it('multiplies by group_count and prices in diamonds', () => {
    const ledger = new GiftLedger();
    const first = ledger.apply(gift({ repeatCount: 1, groupCount: 10, gift: { ...rose, diamondCount: 9 } }));
    const second = ledger.apply(gift({ repeatCount: 3, groupCount: 10, gift: { ...rose, diamondCount: 9 } }));
    expect([first.deltaCount, second.deltaCount, second.totalCount, second.totalDiamonds]).toEqual([10, 20, 30, 270]);
  });

  it('adds nothing for an out-of-order smaller count or a repeat after the end', () => {
    const ledger = new GiftLedger();
    ledger.apply(gift({ repeatCount: 4 }));
    const late = ledger.apply(gift({ repeatCount: 2 }));
    const end = ledger.apply(gift({ repeatCount: 4, repeatEnd: true }));
    const again = ledger.apply(gift({ repeatCount: 4, repeatEnd: true }));
    expect([late.deltaCount, late.totalCount]).toEqual([0, 4]);
    expect(end.deltaCount).toBe(0);
    expect([again.phase, again.deltaCount]).toEqual(['FINAL', 0]);
  });

  it('counts repeat_end alone (first message seen) in full', () => {
    const ledger = new GiftLedger();
    const only = ledger.apply(gift({ repeatCount: 7, repeatEnd: true }));
    expect([only.phase, only.deltaCount, only.totalCount]).toEqual(['FINAL', 7, 7]);
  });

  it('keeps separate combos apart by user, gift and group', () => {
    const ledger = new GiftLedger();
    ledger.apply(gift({ repeatCount: 3 }));
    const otherGroup = ledger.apply(gift({ repeatCount: 2, groupId: '901' }));
    const otherUser = ledger.apply(gift({ repeatCount: 2, user: { id: '222' } as GiftEvent['user'] }));
    expect([otherGroup.deltaCount, otherUser.deltaCount]).toEqual([2, 2]);
    expect(ledger.openCombos).toBe(3);
  });

  it('treats a non-combo gift as final at once', () => {
    const ledger = new GiftLedger();
    const sent = ledger.apply(gift({ gift: car, groupId: '0', repeatCount: 1 }));
    expect([sent.phase, sent.deltaCount, sent.totalDiamonds]).toEqual(['FINAL', 1, 1200]);
    expect(ledger.openCombos).toBe(0);
  });

  it('finalises an idle combo without repeat_end exactly once, adding nothing', () => {
    let now = 0;
    const ledger = new GiftLedger({ idleMs: 10_000, now: () => now });
    ledger.apply(gift({ repeatCount: 3 }));
    now = 5_000;
    expect(ledger.sweep()).toEqual([]);
    now = 10_001;
    const finals = ledger.sweep();
    expect(finals).toHaveLength(1);
    expect([finals[0]?.phase, finals[0]?.deltaCount, finals[0]?.totalCount]).toEqual(['FINAL', 0, 3]);
    const late = ledger.apply(gift({ repeatCount: 3, repeatEnd: true }));
    expect(late.deltaCount).toBe(0);
    expect(ledger.sweep()).toEqual([]);
  });
});

describe('GiftLedger after an idle final', () => {
  it('counts the sends of a combo that went on after the idle timeout, and only those', () => {
    let now = 0;
    const ledger = new GiftLedger({ idleMs: 1_000, now: () => now });
    ledger.apply(gift({ repeatCount: 3 }));
    now = 2_000;
    const [idle] = ledger.sweep();
    const more = ledger.apply(gift({ repeatCount: 5 }));
    const end = ledger.apply(gift({ repeatCount: 6, repeatEnd: true }));
    const echo = ledger.apply(gift({ repeatCount: 6, repeatEnd: true }));
    expect([idle?.phase, idle?.totalCount]).toEqual(['FINAL', 3]);
    expect([more.phase, more.deltaCount, more.totalCount]).toEqual(['PROGRESS', 2, 5]);
    expect([end.phase, end.deltaCount, end.totalCount]).toEqual(['FINAL', 1, 6]);
    expect([echo.phase, echo.deltaCount, echo.totalCount]).toEqual(['FINAL', 0, 6]);
    expect(ledger.openCombos).toBe(0);
  });

  it('gives a combo finalised twice by the idle timeout two distinct FINAL ids', () => {
    let now = 0;
    const ledger = new GiftLedger({ idleMs: 1_000, now: () => now });
    ledger.apply(gift({ repeatCount: 2 }));
    now = 2_000;
    const first = ledger.sweep();
    ledger.apply(gift({ repeatCount: 4 }));
    now = 4_000;
    const second = ledger.sweep();
    expect(first.map((e) => e.totalCount)).toEqual([2]);
    expect(second.map((e) => e.totalCount)).toEqual([4]);
    expect(first[0]?.id).not.toBe(second[0]?.id);
  });

  it('forgets the oldest finished combo beyond its capacity, not the newest', () => {
    const ledger = new GiftLedger({ finishedCapacity: 2 });
    for (const groupId of ['1', '2', '3']) ledger.apply(gift({ groupId, repeatCount: 2, repeatEnd: true }));
    const newest = ledger.apply(gift({ groupId: '3', repeatCount: 2, repeatEnd: true }));
    const oldest = ledger.apply(gift({ groupId: '1', repeatCount: 2, repeatEnd: true }));
    expect(newest.deltaCount).toBe(0);
    // Forgotten, so counted again: the bound is what keeps memory flat on a long broadcast.
    expect(oldest.deltaCount).toBe(2);
  });
});

describe('GiftLedger.seed: combos that span a restart', () => {
  it('adds only the new sends of a combo counted before the restart', () => {
    const before = new GiftLedger();
    const counted = [1, 4].map((repeatCount) => before.apply(gift({ groupId: '77', repeatCount, createdAt: 1_000 })));
    const after = new GiftLedger({ now: () => 2_000 });
    after.seed(counted);
    const next = after.apply(gift({ groupId: '77', repeatCount: 6, createdAt: 2_000 }));
    expect([next.phase, next.deltaCount, next.totalCount]).toEqual(['PROGRESS', 2, 6]);
    const total = [...counted, next].reduce((sum, event) => sum + event.deltaCount, 0);
    expect(total).toBe(6);
  });

  it('keeps a combo the old process finalised closed, and counts nothing for its echo', () => {
    let now = 0;
    const before = new GiftLedger({ idleMs: 1_000, now: () => now });
    const first = before.apply(gift({ groupId: '78', repeatCount: 3, createdAt: 0 }));
    now = 5_000;
    const [idleFinal] = before.sweep();
    const after = new GiftLedger({ idleMs: 1_000, now: () => now });
    after.seed([first, idleFinal!]);
    expect(after.openCombos).toBe(0);
    expect(after.apply(gift({ groupId: '78', repeatCount: 3, repeatEnd: true })).deltaCount).toBe(0);
  });

  it('closes seeded combos idle by their own time without emitting a late FINAL', () => {
    const counted = new GiftLedger().apply(gift({ groupId: '79', repeatCount: 2, createdAt: 0 }));
    const after = new GiftLedger({ idleMs: 10_000, now: () => 60_000 });
    after.seed([counted]);
    expect(after.openCombos).toBe(0);
    expect(after.sweep()).toEqual([]);
  });
});
