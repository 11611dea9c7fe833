// Decoder throughput beside its floor: every case times decodeFrame (bytes → ack + domain
// events) and, in the same run and interleaved with it, Node's gunzipSync alone on the same
// payloads (the floor), the inflater decodeFrame actually uses (gunzip.ts: fflate for
// small fixed-Huffman payloads, else Node), and protobufjs decoding the same frames with nothing
// else, to show where the time goes, and a floor: gunzip plus slicing the strings the events
// carry out of the inflated payload, what any decoder that builds these events must pay.
// Each reader is measured in its own process, the processes alternating: the project's
// WebcastReader (src/collectors/protocol/reader.ts) and stock protobufjs (the same code with
// WebcastReader's three overrides removed, so protobufjs' own BufferReader reads). One process
// per reader because protobufjs' generated decoders that met two reader classes are slower for
// both, which production never is. Both must map the frames to the same events (a digest each).
// Run: npx tsx bench/decode.ts [--seconds 1.5] [--processes 1]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeFrame, MAX_INFLATED_BYTES } from '../src/collectors/protocol/decode.ts';
import { gunzipPayload } from '../src/collectors/protocol/gunzip.ts';
import { METHOD_DECODERS } from '../src/collectors/protocol/methods.ts';
import { payloadTypes, PushFrameType, ResponseType } from '../src/collectors/protocol/proto.ts';
import { webcastReader } from '../src/collectors/protocol/reader.ts';
import type { DecodeContext } from '../src/collectors/protocol/types.ts';
import { loadAverage, formatLoad } from './lib/machine.ts';
import { argValue, isMain, parseSeconds } from './lib/main.ts';

export type ReaderName = 'webcast' | 'stock';
export const READERS: readonly ReaderName[] = ['webcast', 'stock'];

export interface BenchResult {
  name: string;
  /** The protobuf reader every decode went through. */
  reader: ReaderName;
  /** sha256 of the events one decodeFrame pass produced: equal across readers or the figures mean nothing. */
  eventsDigest: string;
  /** Frames and messages processed per pass over the case's input. */
  framesPerPass: number;
  messagesPerPass: number;
  framesPerSec: number;
  messagesPerSec: number;
  /** The floor: gunzip alone on the payloads decodeFrame inflates. */
  baseline: { name: string; framesPerSec: number };
  /** Time of the subject over time of the baseline for the same frames: 2 means twice as slow. */
  ratio: number;
  /** The inflater decodeFrame uses (gunzip.ts) on the same payloads, and decode's time over its time. */
  inflater: { name: string; framesPerSec: number; ratio: number };
  /** Where the rest goes: protobufjs decoding the same frames with no mapping, ack or checks. */
  reference: { name: string; framesPerSec: number; ratio: number };
  /**
   * A floor no eager decoder goes under: gunzip, then only the UTF-8 slices of the strings the
   * events carry that are bytes of the payload (no protobuf walk, no objects, no decimal ids).
   */
  stringsFloor: { name: string; strings: number; framesPerSec: number; ratio: number };
}

export interface DecodeBenchOptions {
  /** CPU time given to each of subject, baseline and reference, after warm-up. */
  durationMs?: number;
  warmupMs?: number;
  /** Processes per reader, run alternately. */
  processes?: number;
}

export interface FrameInput {
  bytes: Uint8Array;
  ctx: DecodeContext;
}

export interface BenchCase {
  name: string;
  frames: FrameInput[];
  /** The payloads decodeFrame inflates for these frames: the baseline's input. */
  gzipPayloads: Uint8Array[];
  messages: number;
}

const CAPTURES = fileURLToPath(new URL('../../shared/captures/douyin/danmaku/', import.meta.url));
const ROUNDS = 6;

/** Every case under each reader, one child process per reader and round; rates are averaged over rounds. */
export async function runDecodeBench(options: DecodeBenchOptions = {}): Promise<BenchResult[]> {
  const durationMs = options.durationMs ?? 1500;
  const warmupMs = options.warmupMs ?? 300;
  const processes = options.processes ?? 1;
  const runs = new Map<ReaderName, BenchResult[][]>(READERS.map((reader) => [reader, []]));
  for (let round = 0; round < processes; round += 1) {
    // Alternate which reader goes first, so a change in the machine's load falls on both.
    const order = round % 2 === 0 ? READERS : [...READERS].reverse();
    for (const reader of order) runs.get(reader)!.push(runChild(reader, durationMs, warmupMs));
  }
  const results = READERS.flatMap((reader) => averageRounds(runs.get(reader)!));
  for (const result of results) {
    const other = results.find((r) => r.name === result.name && r.reader !== result.reader);
    if (other !== undefined && other.eventsDigest !== result.eventsDigest) {
      throw new Error(`${result.name}: the ${result.reader} and ${other.reader} readers produced different events`);
    }
  }
  return results;
}

function runChild(reader: ReaderName, durationMs: number, warmupMs: number): BenchResult[] {
  const self = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, self, `--child-reader=${reader}`, `--duration-ms=${durationMs}`, `--warmup-ms=${warmupMs}`];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`decode child (${reader}) exited ${child.status ?? child.signal}: ${child.stderr}`);
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as BenchResult[];
}

function averageRounds(rounds: BenchResult[][]): BenchResult[] {
  const first = rounds[0]!;
  return first.map((result, index) => {
    const all = rounds.map((round) => round[index]!);
    const mean = (pick: (r: BenchResult) => number) => all.reduce((sum, r) => sum + pick(r), 0) / all.length;
    return {
      ...result,
      framesPerSec: mean((r) => r.framesPerSec),
      messagesPerSec: mean((r) => r.messagesPerSec),
      baseline: { ...result.baseline, framesPerSec: mean((r) => r.baseline.framesPerSec) },
      ratio: mean((r) => r.ratio),
      inflater: { ...result.inflater, framesPerSec: mean((r) => r.inflater.framesPerSec), ratio: mean((r) => r.inflater.ratio) },
      reference: { ...result.reference, framesPerSec: mean((r) => r.reference.framesPerSec), ratio: mean((r) => r.reference.ratio) },
      stringsFloor: { ...result.stringsFloor, framesPerSec: mean((r) => r.stringsFloor.framesPerSec), ratio: mean((r) => r.stringsFloor.ratio) },
    };
  });
}

/** The child's side: measure every case in this process with one reader. */
export function measureInProcess(reader: ReaderName, durationMs: number, warmupMs: number): BenchResult[] {
  if (reader === 'stock') useStockReader();
  const cases = [captureCase(), syntheticCase()].filter((c): c is BenchCase => c !== null);
  return cases.map((benchCase) => measure(benchCase, reader, durationMs, warmupMs));
}

/**
 * Removes WebcastReader's overrides (uint64, int64, stringVerify) from its prototype, so every
 * read falls through to protobufjs' BufferReader: what decodeFrame would cost on stock protobufjs.
 * Only in a child that measures nothing else.
 */
function useStockReader(): void {
  const prototype = Object.getPrototypeOf(webcastReader(new Uint8Array(0))) as Record<string, unknown>;
  for (const name of ['uint64', 'int64', 'stringVerify']) {
    if (!Object.hasOwn(prototype, name)) throw new Error(`WebcastReader no longer overrides ${name}: update the bench`);
    delete prototype[name];
  }
}

function eventsDigest(benchCase: BenchCase): string {
  const hash = createHash('sha256');
  for (const frame of benchCase.frames) hash.update(JSON.stringify(decodeFrame(frame.bytes, frame.ctx)));
  return hash.digest('hex');
}

function measure(benchCase: BenchCase, reader: ReaderName, durationMs: number, warmupMs: number): BenchResult {
  const slices = benchCase.frames.map(payloadStringSlices);
  const passes = {
    decode: () => {
      for (const frame of benchCase.frames) decodeFrame(frame.bytes, frame.ctx);
    },
    gunzip: () => {
      for (const payload of benchCase.gzipPayloads) gunzipSync(payload);
    },
    inflater: () => {
      for (const payload of benchCase.gzipPayloads) gunzipPayload(payload, MAX_INFLATED_BYTES);
    },
    protobuf: () => {
      for (const frame of benchCase.frames) protobufOnly(frame.bytes);
    },
    strings: () => {
      for (const frame of slices) {
        if (frame === null) continue;
        const inflated = gunzipSync(frame.payload);
        for (let i = 0; i < frame.bounds.length; i += 2) inflated.toString('utf8', frame.bounds[i], frame.bounds[i + 1]);
      }
    },
  };
  const rates = alternate(passes, durationMs, warmupMs);
  const framesPerPass = benchCase.frames.length;
  return {
    name: benchCase.name,
    reader,
    eventsDigest: eventsDigest(benchCase),
    framesPerPass,
    messagesPerPass: benchCase.messages,
    framesPerSec: rates.decode * framesPerPass,
    messagesPerSec: rates.decode * benchCase.messages,
    baseline: { name: 'gunzip alone', framesPerSec: rates.gunzip * framesPerPass },
    ratio: rates.gunzip / rates.decode,
    inflater: { name: 'gunzipPayload alone', framesPerSec: rates.inflater * framesPerPass, ratio: rates.inflater / rates.decode },
    reference: { name: 'gunzip + protobufjs decode', framesPerSec: rates.protobuf * framesPerPass, ratio: rates.gunzip / rates.protobuf },
    stringsFloor: {
      name: "gunzip + the events' strings",
      strings: slices.reduce((sum, frame) => sum + (frame === null ? 0 : frame.bounds.length / 2), 0),
      framesPerSec: rates.strings * framesPerPass,
      ratio: rates.gunzip / rates.strings,
    },
  };
}

/**
 * Where in the inflated payload lie the strings of the frame's events: each non-empty string
 * found as UTF-8 bytes of the payload (ids turned decimal and the events' own constants are not,
 * so the floor leaves them out). Null for a frame with no gzip payload.
 */
function payloadStringSlices(frame: FrameInput): { payload: Uint8Array; bounds: number[] } | null {
  const result = decodeFrame(frame.bytes, frame.ctx);
  const payload = gzipPayloadOf(frame.bytes);
  if (!result.ok || payload === null) return null;
  const inflated = gunzipSync(payload);
  const bounds: number[] = [];
  for (const text of stringsIn(result.value.events)) {
    const bytes = Buffer.from(text);
    const at = inflated.indexOf(bytes);
    if (at >= 0) bounds.push(at, at + bytes.length);
  }
  return { payload, bounds };
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringsIn);
}

/** Passes per CPU second of each function, measured in alternating short rounds so load from other processes falls on all alike. */
function alternate<K extends string>(passes: Record<K, () => void>, durationMs: number, warmupMs: number): Record<K, number> {
  const names = Object.keys(passes) as K[];
  const totals = new Map<K, { passes: number; ns: number }>(names.map((name) => [name, { passes: 0, ns: 0 }]));
  for (const name of names) runFor(passes[name], warmupMs);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of names) {
      const run = runFor(passes[name], durationMs / ROUNDS);
      const total = totals.get(name)!;
      total.passes += run.passes;
      total.ns += run.ns;
    }
  }
  return Object.fromEntries(names.map((name) => [name, totals.get(name)!.passes / (totals.get(name)!.ns / 1e9)])) as Record<K, number>;
}

/** What any protobufjs-based decoder pays: frame, gunzip, Response and every modelled payload. */
function protobufOnly(bytes: Uint8Array): void {
  const frame = PushFrameType.decode(webcastReader(bytes)) as unknown as { payloadType: string; payload: Uint8Array };
  if (frame.payloadType !== 'msg') return;
  const payload = frame.payload[0] === 0x1f ? gunzipSync(frame.payload) : frame.payload;
  const response = ResponseType.decode(webcastReader(payload)) as unknown as { messages: Array<{ method: string; payload: Uint8Array }> };
  for (const message of response.messages) {
    // An absent bytes field is protobufjs' default, not a Uint8Array (decodeFrame handles it the same way).
    if (message.payload instanceof Uint8Array) METHOD_DECODERS.get(message.method)?.decode(message.payload);
  }
}

/**
 * Runs pass() for about `ms` of wall time and reports the process CPU time it took: CPU time
 * does not count the time other processes held the core, so figures hold on a shared machine.
 */
function runFor(pass: () => void, ms: number): { passes: number; ns: number } {
  const budget = BigInt(Math.round(ms * 1e6));
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let passes = 0;
  do {
    pass();
    passes += 1;
  } while (process.hrtime.bigint() - start < budget);
  const cpu = process.cpuUsage(cpuStart);
  return { passes, ns: (cpu.user + cpu.system) * 1000 };
}

// ---- (a) every server frame of S13-live and S13-audience ----

interface CaptureLine {
  dir: 'in' | 'out';
  b64: string;
  room?: string;
}

export function captureCase(): BenchCase | null {
  const liveFile = `${CAPTURES}S13-live/frames.jsonl`;
  const audienceFile = `${CAPTURES}S13-audience/frames.jsonl`;
  if (!existsSync(liveFile) || !existsSync(audienceFile)) {
    console.warn(`captures not found under ${CAPTURES}: skipping the capture case`);
    return null;
  }
  const liveRoom = readJson<{ danmakuKeys: { roomId: string } }>(`${CAPTURES}S13-live/meta.json`).danmakuKeys.roomId;
  const audienceRooms = new Map(
    readJson<{ rooms: Array<{ webRid: string; roomId: string }> }>(`${CAPTURES}S13-audience/meta.json`).rooms.map(
      (room) => [room.webRid, room.roomId] as const,
    ),
  );
  const frames: FrameInput[] = [
    ...readLines(liveFile).map((line) => ({ line, roomId: liveRoom })),
    ...readLines(audienceFile).map((line) => ({ line, roomId: audienceRooms.get(line.room ?? '') })),
  ]
    .filter(({ line }) => line.dir === 'in')
    .map(({ line, roomId }) => ({ bytes: Buffer.from(line.b64, 'base64'), ctx: roomId === undefined ? {} : { roomId } }));
  return { name: 'S13 captures, all server frames', ...withFloor(frames) };
}

function readLines(file: string): CaptureLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CaptureLine);
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The gzip payloads decodeFrame inflates, and the message count, found by decoding once. */
function withFloor(frames: FrameInput[]): Omit<BenchCase, 'name'> {
  const gzipPayloads: Uint8Array[] = [];
  let messages = 0;
  for (const frame of frames) {
    const result = decodeFrame(frame.bytes, frame.ctx);
    if (!result.ok || result.value.response === null) continue;
    messages += result.value.methods.length;
    const payload = gzipPayloadOf(frame.bytes);
    if (payload !== null) gzipPayloads.push(payload);
  }
  return { frames, gzipPayloads, messages };
}

/** The frame's payload when it is gzip (magic bytes 1f 8b), as decodeFrame decides; else null. */
function gzipPayloadOf(bytes: Uint8Array): Uint8Array | null {
  const payload = (PushFrameType.decode(bytes) as unknown as { payload: Uint8Array }).payload;
  return payload[0] === 0x1f && payload[1] === 0x8b ? payload : null;
}

// ---- (b) one synthetic frame of 50 mixed messages, users filled in ----

const ROOM_ID = '7690183442860198697';

export function syntheticCase(): BenchCase {
  const messages = [
    ...repeat(20, (i) => message('ChatMessage', { common: common(i), user: user(i), content: `第${i}条弹幕，主播好` , eventTime: 1790519968 })),
    ...repeat(10, (i) => message('MemberMessage', { common: common(100 + i), user: user(100 + i), memberCount: 305503 + i })),
    ...repeat(6, (i) => message('LikeMessage', { common: common(200 + i), user: user(200 + i), count: 3, total: 1_200_000 + i })),
    ...repeat(4, (i) => message('GiftMessage', gift(300 + i))),
    ...repeat(3, (i) => message('SocialMessage', { common: common(400 + i), user: user(400 + i), action: i === 0 ? 3 : 1, shareTarget: '112', followCount: 5_000_000 })),
    ...repeat(3, (i) => message('RoomUserSeqMessage', roomUserSeq(500 + i))),
    ...repeat(2, (i) => message('RoomStatsMessage', { common: common(600 + i), displayShort: '30.6万', displayLong: '30.6万在线观众', displayValue: 305503, displayType: 1 })),
    ...repeat(2, (i) => message('InRoomBannerMessage', { common: common(700 + i), extra: `{"banner":${i}}`, position: 1 })),
  ];
  const response = ResponseType.encode(
    ResponseType.fromObject({
      messages,
      cursor: 't-1790519971068_r-7690224709690737126_d-1_u-1',
      now: 1790519971068,
      internalExt: 'internal_src:pushserver|first_req_ms:1790519971025|wss_msg_type:r|wrds_v:7690224713984906537',
      heartbeatDuration: 15,
      needAck: true,
    }),
  ).finish();
  const payload = gzipSync(response);
  const bytes = PushFrameType.encode(
    PushFrameType.fromObject({
      seqId: 1,
      logId: '4901453207607389421',
      service: 8888,
      method: 8,
      headers: [{ key: 'compress_type', value: 'gzip' }],
      payloadEncoding: 'pb',
      payloadType: 'msg',
      payload,
    }),
  ).finish();
  return { name: 'synthetic frame, 50 mixed messages', frames: [{ bytes, ctx: { roomId: ROOM_ID } }], gzipPayloads: [payload], messages: messages.length };
}

function repeat<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

function id(n: number): string {
  return String(7690224691106976802n + BigInt(n));
}

function message(typeName: keyof typeof payloadTypes, fields: Record<string, unknown>) {
  const type = payloadTypes[typeName];
  const common = fields.common as { msgId: string };
  return { method: `Webcast${typeName}`, payload: type.encode(type.fromObject(fields)).finish(), msgId: common.msgId };
}

function common(n: number) {
  return { method: 'WebcastChatMessage', msgId: id(n), roomId: ROOM_ID, createTime: 1790519969132, isShowMsg: true };
}

function image(path: string) {
  return { urlList: [`https://p3.douyinpic.com/aweme/100x100/${path}.jpeg`, `https://p11.douyinpic.com/aweme/100x100/${path}.jpeg`], uri: path, width: 100, height: 100 };
}

function user(n: number) {
  return {
    id: String(579432622234547n + BigInt(n)),
    shortId: 123456 + n,
    nickname: `观众${n}`,
    gender: n % 3,
    avatarThumb: image(`avatar-${n}`),
    followInfo: { followingCount: 12, followerCount: 34 + n },
    payGrade: { level: 12, name: '12级', gradeDescribe: '距离13级还差35抖币', thisGradeMinDiamond: 1000, thisGradeMaxDiamond: 2000 },
    fansClub: { data: { clubName: '木森团', level: 8, anchorId: '98765432101' } },
    displayId: `dy${n}`,
    secUid: `MS4wLjABAAAA${n}synthetic`,
  };
}

function gift(n: number) {
  return {
    common: common(n),
    giftId: 463,
    groupCount: 1,
    repeatCount: 1 + (n % 5),
    repeatEnd: n % 4 === 3 ? 1 : 0,
    groupId: id(n + 10_000),
    user: user(n),
    gift: { id: 463, name: '小心心', diamondCount: 1, combo: true, type: 4, image: image(`gift-${n}`) },
  };
}

function roomUserSeq(n: number) {
  return {
    common: common(n),
    ranks: repeat(3, (i) => ({ score: 5000 - i * 1000, rank: i + 1, user: user(n + i) })),
    total: 305503,
    totalUser: 7227121,
    onlineUserForAnchor: '30.6万',
    totalPvForAnchor: '722.7万',
  };
}

// ---- table ----

export function formatTable(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.reader === 'webcast' ? 'WebcastReader' : 'stock protobufjs',
    fmt(r.framesPerSec),
    fmt(r.messagesPerSec),
    fmt(r.baseline.framesPerSec),
    `${r.ratio.toFixed(2)}×`,
    `${r.inflater.ratio.toFixed(2)}×`,
    `${r.reference.ratio.toFixed(2)}×`,
    `${r.stringsFloor.ratio.toFixed(2)}× (${r.stringsFloor.strings})`,
  ]);
  const header = ['case', 'reader', 'decode frames/s', 'decode msgs/s', 'gunzip frames/s', 'decode ÷ gunzip', 'decode ÷ inflater used', 'protobufjs only ÷ gunzip', "floor: gunzip + events' strings ÷ gunzip (strings)"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

if (isMain(import.meta.url)) {
  const childReader = argValue('child-reader');
  if (childReader !== undefined) {
    if (!(READERS as readonly string[]).includes(childReader)) throw new Error(`unknown reader ${childReader}`);
    console.log(JSON.stringify(measureInProcess(childReader as ReaderName, Number(argValue('duration-ms')), Number(argValue('warmup-ms')))));
  } else {
    const processes = Number(argValue('processes') ?? 1);
    console.log(`decodeFrame vs gunzip alone on the same payloads, Node ${process.version}, ${formatLoad(loadAverage())}`);
    const results = await runDecodeBench({ durationMs: parseSeconds(argValue('seconds'), 1500), processes });
    console.log(`rates per CPU second; ${ROUNDS} alternating rounds each, ${processes} process(es) per reader; ratios are time ÷ gunzip's time; ${formatLoad(loadAverage())} at the end\n`);
    console.log(formatTable(results));
  }
}
