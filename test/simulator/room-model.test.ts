// The simulated audience: viewer #i is the same person however often the room forgets and remakes
// it (so a room of 20,000 viewers keeps only a few in memory), and what a viewer did (gifts, the
// fans club) stays with them.
import { describe, expect, it } from 'vitest';
import { createPrng } from '../../src/simulator/prng.ts';
import { createRoomModel, RECENT_VIEWERS } from '../../src/simulator/room-model.ts';

const room = () => createRoomModel({ viewers: 20_000 }, createPrng('room-model'), Date.UTC(2026, 11, 1));

describe('room audience', () => {
  it('gives the same person for an index after it was forgotten', () => {
    const model = room();
    const first = model.viewer(7);
    const copy = structuredClone(first);
    // Enough other viewers to push #7 out of the recent ones.
    for (let i = 100; i < 100 + RECENT_VIEWERS + 10; i += 1) model.viewer(i);
    const again = model.viewer(7);
    expect(again).not.toBe(first);
    expect(again).toEqual(copy);
    expect(model.audienceSize).toBe(20_000);
  });

  it('keeps a changed viewer as changed after it was forgotten', () => {
    const model = room();
    const giver = model.viewer(3);
    giver.lifetimeDiamonds += 5_000;
    giver.fansClub = { clubName: model.clubName, level: 9, anchorId: model.anchor.id };
    model.keep(giver);
    const untouched = structuredClone(model.viewer(4));
    untouched.lifetimeDiamonds += 1; // changed on a copy only: not kept
    for (let i = 100; i < 100 + RECENT_VIEWERS + 10; i += 1) model.viewer(i);
    expect(model.viewer(3)).toBe(giver);
    expect(model.viewer(3).fansClub?.level).toBe(9);
    expect(model.viewer(4).lifetimeDiamonds).toBe(untouched.lifetimeDiamonds - 1);
  });
});
