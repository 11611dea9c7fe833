// Waiting rooms are checked 50 per call, and the calls are spread over the poll interval so a
// gateway watching many offline rooms never bursts the upstream.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DouyinApi } from '../../src/collectors/douyin-api.ts';
import { RoomSupervisor } from '../../src/collectors/supervisor.ts';
import type { LiveRoom } from '../../src/domain/model.ts';

const roomId = (i: number) => String(7_690_183_442_860_198_000n + BigInt(i));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RoomSupervisor status polling', () => {
  it('checks 120 waiting rooms in 3 calls of at most 50, spaced over the interval', async () => {
    const calls: { at: number; ids: readonly string[] }[] = [];
    const api = {
      roomByRoomId: async (id: string) => ({ id, webRid: null, status: 'PREPARING' }) as unknown as LiveRoom,
      liveStatus: async (ids: readonly string[]) => {
        calls.push({ at: Date.now(), ids });
        return ids.map((id) => ({ roomId: id, isLive: false }));
      },
    } as unknown as DouyinApi;
    const supervisor = new RoomSupervisor({ api, statusPollMs: 40_000, sink: () => {}, openStream: () => ({ start() {}, stop() {} }) });
    for (let i = 0; i < 120; i += 1) supervisor.watch(roomId(i));
    await vi.advanceTimersByTimeAsync(0);
    expect(supervisor.watchedRooms().every((room) => room.state === 'WAITING_FOR_LIVE')).toBe(true);

    const start = Date.now();
    await vi.advanceTimersByTimeAsync(40_000 + 30_000);
    const firstPoll = calls.filter((call) => call.at - start < 70_000);
    expect(firstPoll.map((call) => call.ids.length)).toEqual([50, 50, 20]);
    expect(new Set(firstPoll.flatMap((call) => call.ids)).size).toBe(120);
    // A quarter of the interval apart: three calls spread over it, none at the same moment.
    expect(firstPoll[1]!.at - firstPoll[0]!.at).toBe(10_000);
    expect(firstPoll[2]!.at - firstPoll[1]!.at).toBe(10_000);
    supervisor.stop();
  });
});
