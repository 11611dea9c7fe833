// RECORD_DIR: every raw frame of a room goes to <dir>/<roomId>.jsonl in the line format of the
// shared captures; its `in` lines decode with the project decoder, and the file replays through
// the simulator's replay room into the same events.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import { HEARTBEAT_FRAME } from '../../src/collectors/protocol/frames.ts';
import { FrameRecorder, lastRecordedTime, recordLine } from '../../src/collectors/push/frame-recorder.ts';
import { until, uniqueIds, Upstream } from './helpers/harness.ts';

const CAPTURE = fileURLToPath(new URL('../../../shared/captures/douyin/danmaku/S13-live/frames.jsonl', import.meta.url));

interface Line {
  dir: 'in' | 'out';
  t: number;
  b64: string;
}

let dir = '';
const upstreams: Upstream[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'record-'));
});
afterEach(async () => {
  for (const upstream of upstreams.splice(0)) await upstream.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof Upstream.start>[0] = {}): Promise<Upstream> {
  const upstream = await Upstream.start(options);
  upstreams.push(upstream);
  return upstream;
}

/** Records one session of a room: heartbeat, a few frames of traffic, acks. */
async function recordSession(upstream: Upstream, roomId: string, recorder: FrameRecorder, count: number) {
  const push = await upstream.openLive(roomId, { onRawFrame: (direction, bytes) => recorder.record(roomId, direction, bytes) });
  const sent = uniqueIds(upstream.sim.byRoomId(roomId)!.emit(count, { perFrame: 4 }));
  await until(() => push.upstream().length === sent.length, 'the recorded messages');
  await until(() => upstream.sim.connections().at(-1)!.acks === upstream.sim.connections().at(-1)!.framesSent, 'every ack');
  push.connection.stop();
  return { push, sent };
}

function readLines(path: string): { text: string; lines: Line[]; raw: string[] } {
  const text = readFileSync(path, 'utf8');
  const raw = text.split('\n').filter((l) => l !== '');
  return { text, raw, lines: raw.map((l) => JSON.parse(l) as Line) };
}

describe('FrameRecorder (RECORD_DIR)', () => {
  it('writes every frame both ways in the captures’ line format, and the in lines decode to what was delivered', async () => {
    const upstream = await start();
    const room = upstream.sim.liveRooms()[0]!;
    const recorder = new FrameRecorder(dir);
    const { push, sent } = await recordSession(upstream, room.id, recorder, 24);
    await recorder.close();

    expect(readdirSync(dir)).toEqual([`${room.id}.jsonl`]);
    const { text, lines, raw } = readLines(join(dir, `${room.id}.jsonl`));
    expect(text.endsWith('\n')).toBe(true);
    for (const line of raw) expect(line).toMatch(/^\{"dir":"(in|out)","t":\d+,"b64":"[A-Za-z0-9+/]*={0,2}"\}$/);
    expect(lines.map((l) => l.dir)).toEqual(push.recorded.frames.map((f) => f.direction));
    expect(lines.map((l) => Buffer.from(l.b64, 'base64'))).toEqual(push.recorded.frames.map((f) => Buffer.from(f.bytes)));
    const times = lines.map((l) => l.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(lines[0]).toMatchObject({ dir: 'out', t: 0, b64: Buffer.from(HEARTBEAT_FRAME).toString('base64') });

    const decoded = lines.filter((l) => l.dir === 'in').map((l) => decodeFrame(Buffer.from(l.b64, 'base64'), { roomId: room.id }));
    expect(decoded.every((r) => r.ok)).toBe(true);
    const events = decoded.flatMap((r) => (r.ok ? r.value.events : []));
    expect(events.map((e) => e.id)).toEqual(sent);
    const acks = lines.filter((l) => l.dir === 'out').slice(1).map((l) => decodeFrame(Buffer.from(l.b64, 'base64')));
    expect(acks.map((r) => (r.ok ? r.value.frame.payloadType : r.error.code))).toEqual(decoded.filter((r) => r.ok && r.value.ack).map(() => 'ack'));
  });

  it.skipIf(!existsSync(CAPTURE))('writes lines with the same keys, in the same order, as ../shared/captures S13-live', async () => {
    const capture = readLines(CAPTURE);
    const upstream = await start();
    const room = upstream.sim.liveRooms()[0]!;
    const recorder = new FrameRecorder(dir);
    await recordSession(upstream, room.id, recorder, 4);
    await recorder.close();
    const ours = readLines(join(dir, `${room.id}.jsonl`));
    const shape = (line: Line) => Object.entries(line).map(([key, value]) => `${key}:${typeof value}`);
    expect(new Set(ours.lines.map((l) => shape(l).join()))).toEqual(new Set(capture.lines.map((l) => shape(l).join())));
    // Byte for byte the same serialisation: the capture's own lines re-serialise to themselves.
    expect(capture.lines.map((l) => JSON.stringify({ dir: l.dir, t: l.t, b64: l.b64 }))).toEqual(capture.raw);
  });

  it('replays a recorded file through the simulator’s replay room into the same events', async () => {
    const upstream = await start();
    const room = upstream.sim.liveRooms()[0]!;
    const recorder = new FrameRecorder(dir);
    const { push } = await recordSession(upstream, room.id, recorder, 40);
    await recorder.close();

    const replaying = await start({ rooms: 0, replayPace: 'immediate' });
    replaying.sim.createReplayRoom({ frames: readFileSync(join(dir, `${room.id}.jsonl`), 'utf8'), roomId: room.id });
    const replayed = replaying.open(room.id);
    await until(() => replayed.upstream().length === push.upstream().length, 'the replayed events');
    expect(replayed.upstream()).toEqual(push.upstream());
    expect(replayed.recorded.decodeErrors).toEqual([]);
  });

  it('continues the times of an existing file, so a second session replays after the first', async () => {
    const upstream = await start();
    const room = upstream.sim.liveRooms()[0]!;
    const first = new FrameRecorder(dir);
    const one = await recordSession(upstream, room.id, first, 8);
    await first.close();
    const second = new FrameRecorder(dir);
    const two = await recordSession(upstream, room.id, second, 8);
    await second.close();

    const { lines } = readLines(join(dir, `${room.id}.jsonl`));
    const times = lines.map((l) => l.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const replaying = await start({ rooms: 0, replayPace: 'recorded' });
    replaying.sim.createReplayRoom({ frames: readFileSync(join(dir, `${room.id}.jsonl`), 'utf8'), roomId: room.id });
    const replayed = replaying.open(room.id);
    const all = [...one.sent, ...two.sent];
    await until(() => replayed.upstream().length === all.length, 'both sessions replayed');
    expect(replayed.upstream().map((e) => e.id)).toEqual(all);
  });

  it('starts a session at t = 0 and the next after the last line, however the clock ticks while the file opens', async () => {
    let clock = 1_000;
    // Every reading advances the clock, as a slow open does between two readings.
    const ticking = () => (clock += 7);
    const first = new FrameRecorder(dir, ticking);
    first.record('1', 'out', HEARTBEAT_FRAME);
    first.record('1', 'in', HEARTBEAT_FRAME);
    await first.close();
    const second = new FrameRecorder(dir, ticking);
    second.record('1', 'out', HEARTBEAT_FRAME);
    await second.close();
    expect(readLines(join(dir, '1.jsonl')).lines.map((l) => l.t)).toEqual([0, 7, 8]);
  });

  it('records nothing for a room id that is not a number (no path outside the directory)', async () => {
    const recorder = new FrameRecorder(dir);
    recorder.record('../escape', 'in', HEARTBEAT_FRAME);
    recorder.record('7690183442860198697/x', 'in', HEARTBEAT_FRAME);
    await recorder.close();
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, '..', 'escape.jsonl'))).toBe(false);
  });

  it('finds the time of the last line of an existing file, however long that line is', () => {
    const path = join(dir, '1.jsonl');
    expect(lastRecordedTime(path)).toBeNull();
    writeFileSync(path, '');
    expect(lastRecordedTime(path)).toBeNull();
    const big = new Uint8Array(200_000).fill(7);
    writeFileSync(path, recordLine('in', 5, HEARTBEAT_FRAME) + recordLine('out', 12, HEARTBEAT_FRAME) + recordLine('in', 30_017, big));
    expect(lastRecordedTime(path)).toBe(30_017);
    writeFileSync(path, recordLine('in', 9, big));
    expect(lastRecordedTime(path)).toBe(9);
    writeFileSync(path, 'not a recording\n');
    expect(lastRecordedTime(path)).toBeNull();
  });
});
