// A replay room plays the real recorded frames of S13-live through the push server, and a
// client receives them byte for byte, acking them as the recorded client did.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseRecordedFrames, startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { PushTestClient, pushUrlFor } from './helpers/push-client.ts';

const RECORDING = fileURLToPath(new URL('../../../shared/captures/douyin/danmaku/S13-live/', import.meta.url));
const haveRecording = existsSync(`${RECORDING}frames.jsonl`) && existsSync(`${RECORDING}meta.json`);

describe.skipIf(!haveRecording)('replay of S13-live (skipped when ../shared/captures is absent)', () => {
  let sim: Simulator;
  let jsonl: string;
  let roomId: string;
  let webRid: string;

  beforeAll(async () => {
    jsonl = readFileSync(`${RECORDING}frames.jsonl`, 'utf8');
    const meta = JSON.parse(readFileSync(`${RECORDING}meta.json`, 'utf8')) as { danmakuKeys: { roomId: string; webRid: string } };
    ({ roomId, webRid } = meta.danmakuKeys);
    sim = await startSimulator({ seed: 'replay', rooms: [], autoTraffic: false, replayPace: 'immediate' });
  });

  afterAll(async () => {
    await sim.stop();
  });

  it('sends every recorded `in` frame byte-identical and accepts the client’s acks', async () => {
    const recorded = parseRecordedFrames(jsonl);
    expect(recorded).toHaveLength(81);
    const room = sim.createReplayRoom({ frames: jsonl, roomId, webRid });
    const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, room.id));
    try {
      await client.waitFor(() => client.frames.length === recorded.length, `${recorded.length} frames`);
      client.frames.forEach((frame, i) => expect(Buffer.compare(Buffer.from(frame.raw), Buffer.from(recorded[i]!.bytes)), `frame ${i}`).toBe(0));
      expect(client.messages().filter((m) => m.method === 'WebcastChatMessage')).toHaveLength(215);
      await client.roundTrip();
      expect(sim.connections().find((c) => c.roomId === roomId)).toMatchObject({ acks: 78, badAcks: 0, framesSent: 81 });
    } finally {
      client.close();
    }
  });

  it('answers web/enter for the recorded room like any other room', async () => {
    const response = await fetch(`${sim.url}/webcast/room/web/enter/?web_rid=${webRid}`, { headers: { cookie: 'ttwid=1' } });
    const body = (await response.json()) as { data: { enter_room_id: string } };
    expect(body.data.enter_room_id).toBe(roomId);
  });
});

describe('recorded frame parsing', () => {
  it('keeps only server frames, in order, and rejects malformed lines with a typed error', () => {
    const text = [
      JSON.stringify({ dir: 'out', t: 1, b64: 'OgJoYg==' }),
      JSON.stringify({ dir: 'in', t: 5, b64: 'AQI=' }),
      '',
      JSON.stringify({ dir: 'in', t: 9, b64: 'AwQ=' }),
    ].join('\n');
    expect(parseRecordedFrames(text).map((f) => [f.atMs, [...f.bytes]])).toEqual([
      [5, [1, 2]],
      [9, [3, 4]],
    ]);
    expect(() => parseRecordedFrames('{"dir":"in"')).toThrow(/line 1 is not JSON/);
    expect(() => parseRecordedFrames('{"dir":"in","t":1}')).toThrow(/line 1 has no b64/);
  });
});

describe('recorded pace', () => {
  it('sends each frame at its recorded offset, and closes replay connections when the room ends', async () => {
    const sim = await startSimulator({ seed: 'pace', rooms: [], autoTraffic: false, replayPace: 'recorded' });
    try {
      const frames = [
        { atMs: 100, bytes: Uint8Array.of(1) },
        { atMs: 600, bytes: Uint8Array.of(2) },
        { atMs: 1_600, bytes: Uint8Array.of(3) },
      ];
      const room = sim.createReplayRoom({ frames, roomId: '7690183442860198697' });
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, room.id));
      const replayed = () => client.frames.filter((f) => f.decoded?.payloadType !== 'hb').map((f) => [...f.raw]);
      await client.waitFor(() => replayed().length === 1, 'the first frame at once');
      vi.advanceTimersByTime(499);
      await client.roundTrip();
      expect(replayed()).toEqual([[1]]);
      vi.advanceTimersByTime(1);
      await client.waitFor(() => replayed().length === 2, 'the second frame at 500 ms');
      vi.advanceTimersByTime(1_000);
      await client.waitFor(() => replayed().length === 3, 'the third frame at 1500 ms');
      expect(replayed()).toEqual([[1], [2], [3]]);
      room.end();
      expect((await client.waitForClose()).code).toBe(1000);
    } finally {
      vi.useRealTimers();
      await sim.stop();
    }
  });
});
