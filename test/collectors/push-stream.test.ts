// issue 4 proof, the stream itself: duplicates arrive once, corrupt frames are skipped and
// counted while the stream goes on, acks are sent (the simulator cuts off a client that does
// not ack, and ours is never cut off), the heartbeat goes out at once, a handshake refusal backs
// off with the blocked policy, and the end of the broadcast ends the connection for good.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import { HEARTBEAT_FRAME } from '../../src/collectors/protocol/frames.ts';
import type { RoomStatusEvent } from '../../src/domain/events.ts';
import { PushTestClient, pushUrlFor } from '../simulator/helpers/push-client.ts';
import { until, uniqueIds, Upstream } from './helpers/harness.ts';

let upstream: Upstream | null = null;
const rawClients: PushTestClient[] = [];
afterEach(async () => {
  for (const client of rawClients.splice(0)) client.close();
  await upstream?.stop();
  upstream = null;
});

function payloadType(bytes: Uint8Array): string | null {
  const result = decodeFrame(bytes);
  return result.ok ? result.value.frame.payloadType : null;
}

describe('PushConnection stream handling against the simulator', () => {
  it('delivers re-pushed msg_ids once (every chat pushed twice)', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id);
    upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'duplicate-chats', rate: 1 } });
    const truth = [...room.emit(60, { perFrame: 6, kinds: ['chat', 'like'] }), ...room.emit(0)];
    const repushed = truth.filter((r) => r.duplicate);
    expect(repushed.length).toBe(truth.filter((r) => r.kind === 'chat' && !r.duplicate).length);
    await until(() => push.recorded.duplicates === repushed.length, 'every re-push to be seen');
    expect(push.upstream().map((e) => e.id)).toEqual(uniqueIds(truth));
  });

  it('delivers msg_ids re-pushed at Douyin’s rate (2.4% of chats) once over a long stream', async () => {
    upstream = await Upstream.start({ duplicateChatRate: 0.024 });
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id);
    const truth = [...room.emit(2_000, { perFrame: 20, kinds: ['chat', 'member'] }), ...room.emit(0)];
    const unique = uniqueIds(truth);
    const repushed = truth.filter((r) => r.duplicate).length;
    expect(repushed).toBeGreaterThan(0);
    await until(() => push.upstream().length === unique.length && push.recorded.duplicates === repushed, 'the whole stream');
    expect(push.upstream().map((e) => e.id)).toEqual(unique);
  });

  it('skips and counts corrupt frames (bad gzip, truncated protobuf, truncated frame) and loses nothing else', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id);
    const first = room.emit(10, { perFrame: 5, kinds: ['chat', 'gift'] });
    for (const corruption of ['bad-gzip', 'truncated-protobuf', 'truncated-frame'] as const) {
      upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'corrupt-frame', corruption } });
    }
    const rest = room.emit(30, { perFrame: 5, kinds: ['chat', 'gift', 'like'] });
    const expected = uniqueIds([...first, ...rest]);
    await until(() => push.upstream().length === expected.length, 'every message');
    await until(() => push.recorded.decodeErrors.length === 3, 'three decode errors');

    expect(push.upstream().map((e) => e.id)).toEqual(expected);
    expect(push.recorded.decodeErrors.map((e) => e.code).sort()).toEqual(['BAD_FRAME', 'BAD_GZIP', 'BAD_RESPONSE']);
    expect(push.recorded.stats.errors).toMatchObject({ BAD_FRAME: 1, BAD_GZIP: 1, BAD_RESPONSE: 1 });
    expect(push.recorded.stats.frames).toBe(push.recorded.frames.filter((f) => f.direction === 'in').length);
    expect(push.recorded.states.map((s) => s.state)).toEqual(['CONNECTING', 'LIVE']);
    expect(upstream.handshakes(room.id)).toHaveLength(1);
  });

  it('acks every frame before handing its events on, so a stream longer than the unacked limit keeps flowing', async () => {
    upstream = await Upstream.start({ ack: { maxUnacked: 8, timeoutMs: 0, onMissing: 'close' } });
    const room = upstream.sim.liveRooms()[0]!;
    const timeline: string[] = [];
    const push = await upstream.openLive(room.id, {
      onRawFrame: (direction, bytes) => timeline.push(`${direction}:${payloadType(bytes)}`),
      onEvents: () => timeline.push('events'),
    });
    const sent: string[] = [];
    const info = () => upstream!.sim.connections().find((c) => c.roomId === room.id)!;
    // Rounds of 4 frames: a client that did not ack would be cut off in the third round.
    for (let round = 0; round < 15; round += 1) {
      sent.push(...uniqueIds(room.emit(8, { perFrame: 2, kinds: ['chat', 'like'] })));
      await until(() => push.upstream().length === sent.length && info().acks === 4 * (round + 1), `round ${round}`);
    }
    expect(info()).toMatchObject({ framesSent: 60, acks: 60, badAcks: 0, unacked: 0, cutOff: null, closed: false });
    expect(push.upstream().map((e) => e.id)).toEqual(sent);
    // Each batch of events follows the ack of its own frame.
    const eventsAt = timeline.flatMap((entry, i) => (entry === 'events' ? [i] : []));
    expect(eventsAt).toHaveLength(60);
    for (const i of eventsAt) expect(timeline.slice(i - 2, i)).toEqual(['in:msg', 'out:ack']);
  });

  it('control: the simulator does cut off a client that does not ack', async () => {
    upstream = await Upstream.start({ ack: { maxUnacked: 8, timeoutMs: 0, onMissing: 'close' } });
    const room = upstream.sim.liveRooms()[1]!;
    const silent = await PushTestClient.connect(pushUrlFor(upstream.sim.pushUrl, room.id), { autoAck: false });
    rawClients.push(silent);
    for (let round = 0; round < 3; round += 1) {
      room.emit(8, { perFrame: 2, kinds: ['chat'] });
      if (round < 2) await silent.waitFor(() => silent.msgFrames().length === 4 * (round + 1), `round ${round}`);
    }
    const closed = await silent.waitForClose();
    expect(closed.code).toBe(1008);
    expect(silent.msgFrames()).toHaveLength(8);
    expect(upstream.sim.connections().find((c) => c.roomId === room.id)?.cutOff).toMatch(/8 frames unacked/);
  });

  it('sends the heartbeat at once on open, and the simulator answers it', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id, { heartbeatMs: 60_000, stallMs: 180_000 });
    const info = () => upstream!.sim.connections().find((c) => c.roomId === room.id)!;
    await until(() => info().heartbeatsAnswered >= 1, 'the reply');
    await until(() => push.recorded.frames.some((f) => f.direction === 'in' && payloadType(f.bytes) === 'hb'), 'the reply to arrive');
    // With a minute between beats, the one counted can only be the one sent on open.
    expect(info().heartbeatsReceived).toBe(1);
    const out = push.recorded.frames.filter((f) => f.direction === 'out');
    expect(out[0]?.bytes).toEqual(HEARTBEAT_FRAME);
  });

  it('backs off with the blocked policy after a handshake refusal (415 DEVICE_BLOCKED), then connects', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'refuse-handshake' }, times: 3 });
    const push = upstream.open(room.id, {
      random: () => 0.5,
      backoff: { baseMs: 4, capMs: 8 },
      blockedBackoff: { baseMs: 40, capMs: 100 },
    });
    await until(() => push.state() === 'LIVE', 'LIVE after the refusals');
    // Full jitter with random 0.5: half of min(cap, base·2^attempt) for attempts 0, 1, 2.
    expect(push.recorded.reconnects.map((r) => r.delayMs)).toEqual([20, 40, 50]);
    for (const reconnect of push.recorded.reconnects) expect(reconnect.reason).toBe('handshake refused (415 DEVICE_BLOCKED)');
    const handshakes = upstream.handshakes(room.id);
    expect(handshakes.map((h) => h.status)).toEqual([200, 200, 200, 101]);
    const waited = handshakes.slice(1).map((h, i) => h.at - handshakes[i]!.at);
    [20, 40, 50].forEach((delay, i) => expect(waited[i]).toBeGreaterThanOrEqual(delay - 1));

    // Once connected and streaming, a plain drop backs off with the ordinary policy from the start.
    room.emit(2, { kinds: ['chat'] });
    await until(() => push.upstream().length === 2, 'a message');
    upstream.sim.dropConnection(upstream.openConnections(room.id)[0]!.id);
    await until(() => push.recorded.reconnects.length === 4, 'the reconnect after the drop');
    expect(push.recorded.reconnects[3]!.delayMs).toBe(2);
    await until(() => push.state() === 'LIVE', 'LIVE again');
  });

  it('opens one socket however often start() is called', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const push = upstream.open(room.id);
    push.connection.start();
    push.connection.start();
    await until(() => push.state() === 'LIVE', 'LIVE');
    const sent = uniqueIds(room.emit(6, { perFrame: 3, kinds: ['chat'] }));
    await until(() => push.upstream().length === sent.length, 'the messages');
    expect(upstream.handshakes(room.id)).toHaveLength(1);
    expect(push.upstream().map((e) => e.id)).toEqual(sent);
  });

  it('ends on the end-of-live Control message: RoomStatusEvent ENDED, state ENDED, no reconnect', async () => {
    upstream = await Upstream.start();
    const [room, other] = upstream.sim.liveRooms();
    // random 0: any reconnect would be scheduled with no delay at all.
    const push = await upstream.openLive(room!.id, { random: () => 0 });
    const before = uniqueIds(room!.emit(5, { perFrame: 5, kinds: ['chat'] }));
    const control = room!.end()!;
    await until(() => push.state() === 'ENDED', 'ENDED');
    await until(() => upstream!.sim.connections().every((c) => c.roomId !== room!.id || c.closed), 'the simulator to close the socket');
    // A full connection to another room takes many turns of the event loop: time enough for a reconnect to show.
    await upstream.openLive(other!.id);

    const ended = push.upstream().at(-1) as RoomStatusEvent;
    expect(push.upstream().map((e) => e.id)).toEqual([...before, control.msgId]);
    expect([ended.type, ended.status, ended.action]).toEqual(['RoomStatusEvent', 'ENDED', 3]);
    expect(push.recorded.states.map((s) => s.state)).toEqual(['CONNECTING', 'LIVE', 'ENDED']);
    expect(push.recorded.reconnects).toEqual([]);
    expect(upstream.handshakes(room!.id)).toHaveLength(1);
  });

  it('ends when the Control message was missed and the status check says the room is over', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const client = upstream.client;
    const push = await upstream.openLive(room.id, {
      isStillLive: async () => (await client.liveStatus([room.id]))[0]?.isLive ?? true,
    });
    const held = upstream.openConnections(room.id)[0]!;
    upstream.sim.injectFault({ target: { connectionId: held.id }, fault: { kind: 'stall' } });
    room.end();
    await until(() => push.state() === 'ENDED', 'ENDED');
    expect(push.upstream()).toEqual([]);
    expect(push.recorded.states.at(-1)?.reason).toMatch(/ended/);
    expect(upstream.sim.requests({ path: '/webcast/room/check_alive/' })).toHaveLength(1);
    expect(upstream.handshakes(room.id)).toHaveLength(1);
  });

  it('holds frames while paused (the store is behind) without taking the silence for a stall, then delivers them all', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id, { stallMs: 200, heartbeatMs: 20 });
    const held = upstream.openConnections(room.id)[0]!;
    push.connection.pause();
    const sent = uniqueIds(room.emit(40, { perFrame: 4, kinds: ['chat', 'like'] }));
    const beats = () => upstream!.sim.connections().find((c) => c.id === held.id)!.heartbeatsReceived;
    const before = beats();
    // Heartbeats still go out while reading is paused; thirty of them (20 ms apart) span three stall windows.
    await until(() => beats() >= before + 30, 'thirty heartbeats while paused');
    expect(push.upstream()).toEqual([]);
    expect(push.state()).toBe('LIVE');
    push.connection.resume();
    await until(() => push.upstream().length === sent.length, 'the held frames');
    expect(push.upstream().map((e) => e.id)).toEqual(sent);
    expect(push.recorded.states.map((s) => s.state)).toEqual(['CONNECTING', 'LIVE']);
    expect(upstream.handshakes(room.id)).toHaveLength(1);
  });
});
