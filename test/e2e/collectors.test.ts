// issue 4 proof through the whole gateway: a graphql-ws subscriber of a room whose upstream
// socket drops, sends corrupt frames and re-pushes chats still gets every message once; the
// metrics count what was skipped; gift totals summed from deltaCount equal the simulator's
// ground truth; and RECORD_DIR holds the room's frames.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const ROOM_EVENTS = `subscription ($roomId: ID!) {
  roomEvents(roomId: $roomId) {
    __typename id
    ... on ConnectionStateEvent { state }
    ... on StreamGapEvent { reason }
    ... on GiftEvent { groupId phase deltaCount totalCount totalDiamonds gift { id diamondCount } user { id } }
  }
}`;

interface EventData {
  roomEvents: {
    __typename: string;
    id: string;
    state?: string;
    phase?: string;
    groupId?: string;
    deltaCount?: number;
    totalCount?: number;
    gift?: { id: string; diamondCount: number };
    user?: { id: string } | null;
  };
}

function metric(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('collectors end to end over the simulator', () => {
  let stack: Stack;
  let recordDir: string;
  beforeAll(async () => {
    recordDir = mkdtempSync(join(tmpdir(), 'e2e-record-'));
    stack = await startStack({ env: { RECORD_DIR: recordDir }, sim: { duplicateChatRate: 0 } });
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(recordDir, { recursive: true, force: true });
  });

  it('delivers every message once through a drop, corrupt frames and re-pushed chats, and counts what it skipped', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const sub = subscribe<EventData>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id });
    await until(() => sub.results.some((r) => r.roomEvents.state === 'LIVE'), 'LIVE');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');

    stack.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'duplicate-chats', rate: 1 } });
    stack.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'corrupt-frame', corruption: 'bad-gzip' } });
    stack.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'drop-after-frames', frames: 4 }, times: 1 });
    const truth = [...room.emit(80, { perFrame: 8, kinds: ['chat', 'like', 'member'] }), ...room.emit(0)];
    const unique = truth.filter((r) => !r.duplicate).map((r) => r.msgId);
    const upstream = () => sub.results.map((r) => r.roomEvents).filter((e) => e.__typename !== 'ConnectionStateEvent');
    await until(() => upstream().length >= unique.length, 'every message', 15_000);

    expect(upstream().map((e) => e.id)).toEqual(unique);
    expect(sub.results.map((r) => r.roomEvents.state).filter(Boolean)).toEqual(['RESOLVING', 'CONNECTING', 'LIVE', 'RECONNECTING', 'LIVE']);
    expect(stack.sim.connections().filter((c) => c.roomId === room.id).at(-1)?.resume).toBe('full');

    const origin = new URL(stack.url).origin;
    const text = await (await fetch(`${origin}/metrics`)).text();
    const prefix = text.match(/^(\w*)decode_errors_total/m)?.[1] ?? '';
    expect(metric(text, `${prefix}decode_errors_total`, '{reason="BAD_GZIP"}')).toBe(1);
    expect(metric(text, `${prefix}dedup_hits_total`)).toBe(truth.filter((r) => r.duplicate).length);
    expect(metric(text, `${prefix}push_reconnects_total`, '{reason="closed"}')).toBe(1);
    sub.stop();
  });

  it('totals gifts from deltaCount exactly as the simulator’s ground truth', async () => {
    const room = stack.sim.liveRooms()[1]!;
    const sub = subscribe<EventData>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id });
    await until(() => sub.results.some((r) => r.roomEvents.state === 'LIVE'), 'LIVE');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
    const ids = new Set(room.emit(300, { perFrame: 10, kinds: ['gift'] }).map((r) => r.msgId));
    await until(() => sub.results.filter((r) => ids.has(r.roomEvents.id)).length === ids.size, 'every gift');

    const gifts = sub.results.map((r) => r.roomEvents).filter((e) => e.__typename === 'GiftEvent');
    const expected = stack.sim.giftTotals(room.id);
    expect(gifts.reduce((sum, g) => sum + g.deltaCount! * g.gift!.diamondCount, 0)).toBe(expected.diamonds);
    expect(gifts.reduce((sum, g) => sum + g.deltaCount!, 0)).toBe(expected.gifts);
    const byUser = new Map<string, number>();
    for (const g of gifts) byUser.set(g.user!.id, (byUser.get(g.user!.id) ?? 0) + g.deltaCount! * g.gift!.diamondCount);
    expect(byUser).toEqual(expected.byUser);
    sub.stop();
  });

  it('records the room’s frames under RECORD_DIR, corrupt ones included, decodable by the project decoder', async () => {
    const room = stack.sim.liveRooms()[2]!;
    const sub = subscribe<EventData>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id });
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
    stack.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'corrupt-frame', corruption: 'truncated-protobuf' } });
    const sent = room.emit(20, { perFrame: 5, kinds: ['chat', 'gift'] }).map((r) => r.msgId);
    await until(() => sent.every((id) => sub.results.some((r) => r.roomEvents.id === id)), 'the messages');
    sub.stop();

    const path = join(recordDir, `${room.id}.jsonl`);
    const inLines = () => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.startsWith('{"dir":"in"')).length : 0);
    // Four msg frames, the broken one and the heartbeat reply: written once the stream flushes.
    await until(() => inLines() >= 6, 'the recording');
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { dir: string; t: number; b64: string });
    const incoming = lines.filter((l) => l.dir === 'in').map((l) => decodeFrame(Buffer.from(l.b64, 'base64'), { roomId: room.id }));
    expect(incoming.filter((r) => !r.ok).map((r) => (r.ok ? null : r.error.code))).toEqual(['BAD_RESPONSE']);
    expect(lines.filter((l) => l.dir === 'out').length).toBeGreaterThanOrEqual(5);
    const recordedIds = incoming.flatMap((r) => (r.ok ? r.value.events.map((e) => e.id) : []));
    expect(recordedIds).toEqual(sent);
  });
});
