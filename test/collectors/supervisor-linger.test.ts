// The supervisor's timing on fake timers with a stand-in stream: the linger period, a watcher
// returning during it, rooms recorded continuously, and a resolve that is retried.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DouyinApi } from '../../src/collectors/douyin-api.ts';
import { unavailable } from '../../src/collectors/errors.ts';
import { RoomSupervisor, type RoomStream } from '../../src/collectors/supervisor.ts';
import type { LiveRoom } from '../../src/domain/model.ts';

const ROOM_ID = '7690183442860198697';

function fakeApi(lookup: () => Promise<Partial<LiveRoom>>): DouyinApi {
  const api: Partial<DouyinApi> = {
    roomByRoomId: async (roomId) => ({ id: roomId, webRid: '148108118778', status: 'LIVE', ...(await lookup()) }) as LiveRoom,
    liveStatus: async (roomIds) => roomIds.map((roomId) => ({ roomId, isLive: true })),
  };
  return api as DouyinApi;
}

function setup(options: { lookup?: () => Promise<Partial<LiveRoom>>; retryResolveMs?: number } = {}) {
  const streams: { started: boolean; stopped: boolean }[] = [];
  const supervisor = new RoomSupervisor({
    api: fakeApi(options.lookup ?? (async () => ({}))),
    lingerMs: 1_000,
    retryResolveMs: options.retryResolveMs ?? 5_000,
    sink: () => {},
    openStream: (_room, hooks): RoomStream => {
      const stream = { started: false, stopped: false };
      streams.push(stream);
      return {
        start: () => {
          stream.started = true;
          hooks.onState('LIVE', 'CONNECTING', null);
        },
        stop: () => (stream.stopped = true),
      };
    },
  });
  return { supervisor, streams };
}

let stop: (() => void) | null = null;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stop?.();
  stop = null;
  vi.useRealTimers();
});

describe('RoomSupervisor timing', () => {
  it('closes the stream exactly one linger period after the last watcher leaves', async () => {
    const { supervisor, streams } = setup();
    stop = () => supervisor.stop();
    const release = supervisor.watch(ROOM_ID);
    await vi.advanceTimersByTimeAsync(0);
    expect(streams).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(999);
    expect(streams[0]!.stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(streams[0]!.stopped).toBe(true);
    expect(supervisor.connectionState(ROOM_ID)).toBeNull();
  });

  it('keeps the stream when a watcher returns during the linger period', async () => {
    const { supervisor, streams } = setup();
    stop = () => supervisor.stop();
    supervisor.watch(ROOM_ID)();
    await vi.advanceTimersByTimeAsync(900);
    const again = supervisor.watch(ROOM_ID);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(streams).toHaveLength(1);
    expect(streams[0]!.stopped).toBe(false);
    again();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(streams[0]!.stopped).toBe(true);
  });

  it('never lets go of a room recorded continuously', async () => {
    const { supervisor, streams } = setup();
    stop = () => supervisor.stop();
    supervisor.keepWatching(ROOM_ID);
    supervisor.watch(ROOM_ID)();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(streams[0]!.stopped).toBe(false);
    supervisor.stop();
    expect(streams[0]!.stopped).toBe(true);
  });

  it('retries a failed room lookup after retryResolveMs, then connects', async () => {
    let calls = 0;
    const { supervisor, streams } = setup({
      lookup: async () => {
        calls += 1;
        if (calls === 1) throw unavailable('connection reset');
        return {};
      },
    });
    stop = () => supervisor.stop();
    supervisor.watch(ROOM_ID);
    await vi.advanceTimersByTimeAsync(0);
    expect(supervisor.connectionState(ROOM_ID)).toBe('UPSTREAM_UNREACHABLE');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    expect(streams).toHaveLength(1);
    expect(supervisor.connectionState(ROOM_ID)).toBe('LIVE');
  });

  it('opens nothing for a watch that arrives after stop()', async () => {
    const { supervisor, streams } = setup();
    supervisor.watch(ROOM_ID);
    await vi.advanceTimersByTimeAsync(0);
    supervisor.stop();
    const release = supervisor.watch('7690183442860198698');
    supervisor.keepWatching('7690183442860198699');
    await vi.advanceTimersByTimeAsync(60_000);
    release();
    expect(streams).toHaveLength(1);
    expect(streams[0]!.stopped).toBe(true);
    expect(supervisor.watchedRooms()).toEqual([]);
  });
});
