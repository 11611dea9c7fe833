// room_id label values stay bounded: a room's own label while it has subscribers, at most
// maxRooms of them, the rest counted together, and a label given up when it empties.
import { describe, expect, it } from 'vitest';
import { OTHER_ROOMS, RoomLabels } from '../../src/server/room-labels.ts';

describe('RoomLabels', () => {
  it('gives rooms their own label up to the cap, then the shared one, and frees labels as rooms empty', () => {
    const labels = new RoomLabels(2);
    expect([labels.join('a'), labels.join('a'), labels.join('b'), labels.join('c'), labels.join('d')]).toEqual(['a', 'a', 'b', OTHER_ROOMS, OTHER_ROOMS]);
    expect(labels.labels).toBe(3);
    expect(labels.leave('a')).toEqual({ label: 'a', emptied: false });
    expect(labels.leave('a')).toEqual({ label: 'a', emptied: true });
    // The freed slot goes to the next room that arrives; rooms already counted as other stay there.
    expect(labels.join('e')).toBe('e');
    expect(labels.join('c')).toBe(OTHER_ROOMS);
    expect(labels.leave('c')).toEqual({ label: OTHER_ROOMS, emptied: false });
    expect(labels.leave('c')).toEqual({ label: OTHER_ROOMS, emptied: false });
    expect(labels.leave('d')).toEqual({ label: OTHER_ROOMS, emptied: true });
    expect(labels.leave('never-joined')).toBeNull();
    expect(labels.labels).toBe(2);
  });

  it('never hands a room the shared label’s name as its own', () => {
    const labels = new RoomLabels(5);
    labels.join(OTHER_ROOMS);
    expect(labels.leave(OTHER_ROOMS)).toEqual({ label: OTHER_ROOMS, emptied: true });
  });
});
