// issue 4 proof: a push connection that loses its socket (dropped mid-stream or stalled) comes
// back with the last cursor and misses nothing when the upstream can resume; when it cannot, it
// says so with a StreamGapEvent; and when resume was complete it raises no false alarm.
import { afterEach, describe, expect, it } from 'vitest';
import { PushConnection } from '../../src/collectors/push/push-connection.ts';
import type { ResumePoint } from '../../src/domain/resume-point.ts';
import type { RoomEvent } from '../../src/domain/events.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { FAST_BACKOFF, until, uniqueIds, Upstream, type OpenedPush } from './helpers/harness.ts';
import { ScriptedPushServer } from './helpers/scripted-push-server.ts';

let upstream: Upstream | null = null;
afterEach(async () => {
  await upstream?.stop();
  upstream = null;
});

/** A skip noticed while connected: one reconnect from the last good cursor, every message, no gap. */
function expectSkipRecoveredInFull(up: Upstream, push: OpenedPush, expected: string[]): void {
  expect(push.upstream().map((e) => e.id)).toEqual(expected);
  expect(push.gaps()).toEqual([]);
  expect(push.recorded.states.map((s) => s.state)).toEqual(['CONNECTING', 'LIVE', 'RECONNECTING', 'LIVE']);
  expect(push.recorded.states[2]!.reason).toMatch(/skipped/);
  expect(up.sim.connections().at(-1)!.resume).toBe('full');
}

describe('PushConnection recovery against the simulator', () => {
  it('resumes after a drop mid-stream with every message once and no gap event', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id);
    const before = room.emit(20, { perFrame: 4 });
    upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'drop-after-frames', frames: 3 }, times: 1 });
    const during = room.emit(60, { perFrame: 4 });
    const expected = uniqueIds([...before, ...during]);
    await until(() => push.upstream().length >= expected.length, 'every message after the drop');
    const after = room.emit(8, { perFrame: 2 });
    await until(() => push.upstream().length >= expected.length + after.length, 'the live stream after the resume');

    expect(push.upstream().map((e) => e.id)).toEqual([...expected, ...uniqueIds(after)]);
    expect(push.gaps()).toEqual([]);
    expect(upstream.handshakes(room.id)).toHaveLength(2);
    const resumed = upstream.sim.connections().filter((c) => c.roomId === room.id).at(-1)!;
    expect(resumed.resume).toBe('full');
    expect(push.recorded.reconnects).toHaveLength(1);
    expect(push.recorded.states.map((s) => s.state)).toEqual(['CONNECTING', 'LIVE', 'RECONNECTING', 'LIVE']);
  });

  it('detects a stall (no frame, no heartbeat reply), reconnects and resumes without loss', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id, { stallMs: 300, heartbeatMs: 50 });
    const first = room.emit(10, { perFrame: 5 });
    await until(() => push.upstream().length >= first.length, 'the first messages');
    const stalled = upstream.openConnections(room.id)[0]!;
    const fault = upstream.sim.injectFault({ target: { connectionId: stalled.id }, fault: { kind: 'stall' } })!;
    const missed = room.emit(30, { perFrame: 5 });
    await until(() => push.recorded.states.some((s) => s.state === 'STALLED'), 'the stall to be detected');
    await until(() => push.upstream().length >= first.length + missed.length, 'the missed messages');
    upstream.sim.clearFaults(fault);

    expect(push.upstream().map((e) => e.id)).toEqual(uniqueIds([...first, ...missed]));
    expect(push.gaps()).toEqual([]);
    const stalledNow = upstream.sim.connections().find((c) => c.id === stalled.id)!;
    expect(stalledNow.messagesSent).toBe(first.length);
    expect(stalledNow.closed).toBe(true);
    expect(push.recorded.states.map((s) => s.state)).toEqual(['CONNECTING', 'LIVE', 'STALLED', 'RECONNECTING', 'LIVE']);
    expect(upstream.sim.connections().at(-1)!.resume).toBe('full');
  });

  it('notices a short stall while connected by the positions, resumes from the last cursor and misses nothing', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    // The stall is far shorter than the stall window: the socket never looks dead.
    const push = await upstream.openLive(room.id, { stallMs: 60_000 });
    const first = room.emit(10, { perFrame: 5 });
    await until(() => push.upstream().length >= first.length, 'the first messages');
    const fault = upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'stall' } })!;
    const skipped = room.emit(30, { perFrame: 5 });
    upstream.sim.clearFaults(fault);
    const after = room.emit(10, { perFrame: 5 });
    const expected = uniqueIds([...first, ...skipped, ...after]);
    await until(() => push.upstream().length >= expected.length, () => `every message (${push.upstream().length} of ${expected.length})`);

    expectSkipRecoveredInFull(upstream, push, expected);
  });

  it('after a stall longer than the stall window, whose resumes the upstream swallowed, resumes from the cursor again and misses nothing', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id, { stallMs: 200, heartbeatMs: 50 });
    const first = room.emit(10, { perFrame: 5 });
    await until(() => push.upstream().length >= first.length, 'the first messages');
    // The whole room stalls: every reconnect meanwhile is accepted and then hears nothing.
    const fault = upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'stall' } })!;
    const missed = room.emit(40, { perFrame: 5 });
    await until(() => upstream!.handshakes(room.id).length >= 3, 'two reconnects during the stall');
    upstream.sim.clearFaults(fault);
    const after = room.emit(10, { perFrame: 5 });
    const expected = uniqueIds([...first, ...missed, ...after]);
    await until(() => push.upstream().length >= expected.length, () => `every message (${push.upstream().length} of ${expected.length})`);

    expect(push.upstream().map((e) => e.id)).toEqual(expected);
    expect(push.gaps()).toEqual([]);
    expect(push.recorded.states.filter((s) => s.state === 'STALLED').length).toBeGreaterThanOrEqual(2);
    expect(upstream.sim.connections().at(-1)!.resume).toBe('full');
  });

  it('after a stall the backlog no longer covers, emits one gap that covers exactly what the upstream lost', async () => {
    upstream = await Upstream.start({ backlogSize: 10 });
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id, { stallMs: 60_000 });
    const first = room.emit(10, { perFrame: 5, kinds: ['chat'] });
    await until(() => push.upstream().length >= first.length, 'the first messages');
    const fault = upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'stall' } })!;
    const skipped = room.emit(30, { perFrame: 5, kinds: ['chat'] });
    upstream.sim.clearFaults(fault);
    const after = room.emit(5, { perFrame: 5, kinds: ['chat'] });
    // The backlog holds the last 10: the stall's last 5 and the 5 after it.
    const kept = [...skipped.slice(-5), ...after];
    const lost = skipped.slice(0, -5);
    await until(() => push.upstream().length >= first.length + kept.length, 'what the backlog still held');

    expect(push.upstream().map((e) => e.id)).toEqual(uniqueIds([...first, ...kept]));
    expect(push.gaps()).toHaveLength(1);
    const gap = push.gaps()[0]!;
    expect(push.recorded.events[push.recorded.events.indexOf(gap) + 1]!.id).toBe(kept[0]!.msgId);
    expect(gap.from).toBeLessThanOrEqual(lost[0]!.sentAt);
    expect(gap.to).toBeGreaterThanOrEqual(lost.at(-1)!.sentAt);
    expect(gap.from).toBeGreaterThanOrEqual(first.at(-1)!.sentAt);
    expect(gap.reason).toMatch(/could not resend/);
  });

  it('keeps an idle but healthy connection LIVE: heartbeat replies hold off the stall timer', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id, { stallMs: 300, heartbeatMs: 50 });
    // One msg frame carries heartbeat_duration 15 s; the connection must still beat within its stall window.
    room.emit(1, { kinds: ['chat'] });
    await until(() => push.upstream().length === 1, 'the message');
    const held = upstream.openConnections(room.id)[0]!;
    await until(() => (upstream!.sim.connections().find((c) => c.id === held.id)?.heartbeatsAnswered ?? 0) >= 8, 'eight heartbeat round trips');
    expect(push.recorded.states.map((s) => s.state)).toEqual(['CONNECTING', 'LIVE']);
    expect(upstream.handshakes(room.id)).toHaveLength(1);
  });

  it('emits a StreamGapEvent when the backlog no longer holds what was missed, then goes on', async () => {
    upstream = await Upstream.start({ backlogSize: 10 });
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id);
    upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'drop-after-frames', frames: 2 }, times: 1 });
    const sent = uniqueIds(room.emit(40, { perFrame: 5, kinds: ['chat', 'like', 'member'] }));
    const kept = sent.slice(-10);
    await until(() => kept.every((id) => push.upstream().some((e) => e.id === id)), 'the backlog that survived');
    const after = uniqueIds(room.emit(4, { perFrame: 2, kinds: ['chat'] }));
    await until(() => after.every((id) => push.upstream().some((e) => e.id === id)), 'the live stream');

    const received = push.upstream().map((e) => e.id);
    expect(new Set(received).size).toBe(received.length);
    const beforeDrop = received.slice(0, received.indexOf(kept[0]!));
    // What arrived before the drop is a prefix of what was sent; the hole lies between it and the backlog.
    expect(beforeDrop).toEqual(sent.slice(0, beforeDrop.length));
    expect(beforeDrop.length).toBeLessThan(sent.length - kept.length);
    expect(received.slice(beforeDrop.length)).toEqual([...kept, ...after]);
    expect(upstream.sim.connections().at(-1)!.resume).toBe('partial');

    expect(push.gaps()).toHaveLength(1);
    const gap = push.gaps()[0]!;
    const gapIndex = push.recorded.events.indexOf(gap);
    expect(push.recorded.events[gapIndex + 1]?.id).toBe(kept[0]);
    expect(gap.roomId).toBe(room.id);
    expect(gap.from).toBeLessThanOrEqual(gap.to);
    expect(gap.reason).toMatch(/resume/);
  });

  it('emits a StreamGapEvent when the upstream does not know the cursor it was given', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const base = upstream.endpoint(room.id);
    let forget = false;
    const push = await upstream.openLive(room.id, {
      // Douyin forgets cursors too: the reconnect presents one the upstream has never issued.
      endpoint: async (resume) => base(forget && resume ? { ...resume, cursor: 't-1_r-1_d-1_u-1' } : resume),
    });
    const first = uniqueIds(room.emit(6, { perFrame: 3, kinds: ['chat'] }));
    await until(() => push.upstream().length === first.length, 'the first messages');
    forget = true;
    upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'drop-after-frames', frames: 1 }, times: 1 });
    const lost = uniqueIds(room.emit(6, { perFrame: 3, kinds: ['chat'] }));
    await until(() => upstream!.openConnections(room.id).length === 1 && upstream!.handshakes(room.id).length === 2, 'the reconnect');
    await until(() => push.state() === 'LIVE', 'LIVE again');
    const after = uniqueIds(room.emit(3, { perFrame: 3, kinds: ['chat'] }));
    await until(() => after.every((id) => push.upstream().some((e) => e.id === id)), 'the live stream');

    expect(upstream.sim.connections().at(-1)!.resume).toBe('none');
    const ids = push.upstream().map((e) => e.id);
    expect(ids.slice(-after.length)).toEqual(after);
    expect(ids.filter((id) => lost.includes(id)).length).toBeLessThan(lost.length);
    expect(push.gaps()).toHaveLength(1);
    // The frame after the hole was held while a second resume tried to fill it; nothing came back.
    expect(push.gaps()[0]!.reason).toMatch(/resent nothing/);
    expect(push.recorded.events.indexOf(push.gaps()[0]!)).toBe(push.recorded.events.findIndex((e) => e.id === after[0]) - 1);
  });

  it('raises no gap after a reconnect with a cursor the upstream does not know when nothing was missed', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    const base = upstream.endpoint(room.id);
    const push = await upstream.openLive(room.id, {
      endpoint: async (resume) => base(resume ? { ...resume, cursor: 't-1_r-1_d-1_u-1' } : resume),
    });
    const first = uniqueIds(room.emit(4, { perFrame: 4, kinds: ['chat'] }));
    await until(() => push.upstream().length === first.length, 'the first messages');
    upstream.sim.dropConnection(upstream.openConnections(room.id)[0]!.id);
    await until(() => upstream!.handshakes(room.id).length === 2 && push.state() === 'LIVE', 'the reconnect');
    await until(() => upstream!.openConnections(room.id).some((c) => c.heartbeatsReceived > 0), 'the new connection to be held');
    const after = uniqueIds(room.emit(4, { perFrame: 4, kinds: ['chat'] }));
    await until(() => push.upstream().length === first.length + after.length, 'the live stream');
    expect(push.upstream().map((e) => e.id)).toEqual([...first, ...after]);
    expect(push.gaps()).toEqual([]);
  });

  it('reports a gap after a reconnect when the upstream restarted and numbers from the start again', async () => {
    upstream = await Upstream.start({ seed: 'restart' });
    const room = upstream.sim.liveRooms()[0]!;
    const push = await upstream.openLive(room.id);
    const first = uniqueIds(room.emit(30, { perFrame: 10, kinds: ['chat'] }));
    await until(() => push.upstream().length === first.length, 'the first messages');
    const port = new URL(upstream.sim.url).port;
    await upstream.sim.stop();
    // Same port and room, but a new process that has never issued our cursor (the room sits in
    // another slot, so its msg ids differ from the first process's).
    const rooms = [{ roomId: '7000000000000000001' }, { roomId: room.id }];
    const restarted = await startSimulator({ seed: 'restart', port: Number(port), autoTraffic: false, rooms, duplicateChatRate: 0 });
    try {
      const again = restarted.byRoomId(room.id)!;
      await until(() => restarted.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the reconnect');
      expect(restarted.connections().at(-1)!.resume).toBe('none');
      const after = uniqueIds(again.emit(5, { perFrame: 5, kinds: ['chat'] }));
      await until(() => push.upstream().length === first.length + after.length, 'the new stream');
      expect(push.upstream().map((e) => e.id)).toEqual([...first, ...after]);
      expect(push.gaps()).toHaveLength(1);
      expect(push.gaps()[0]!.reason).toMatch(/did not know/);
    } finally {
      push.connection.stop();
      await restarted.stop();
    }
  });

  it('reports a gap after every reconnect to an upstream whose cursors are not numbered (Douyin r-1)', async () => {
    const server = await ScriptedPushServer.start();
    const roomId = '7690183442860198697';
    const resumes: (ResumePoint | null)[] = [];
    const events: RoomEvent[] = [];
    const connection = new PushConnection({
      roomId,
      endpoint: async (resume) => {
        resumes.push(resume);
        return { url: `${server.url}?room_id=${roomId}&cursor=${encodeURIComponent(resume?.cursor ?? '')}`, headers: {} };
      },
      backoff: FAST_BACKOFF,
      onEvents: (batch) => events.push(...batch),
    });
    try {
      connection.start();
      await until(() => server.sockets.length === 1 && connection.connectionState === 'LIVE', 'the connection');
      server.sendChats(server.sockets[0]!, roomId, ['101', '102'], 't-1790519971067_r-1_d-1_u-1');
      await until(() => events.length === 2, 'the first chats');
      server.sockets[0]!.terminate();
      await until(() => server.sockets.length === 2 && connection.connectionState === 'LIVE', 'the reconnect');
      server.sendChats(server.sockets[1]!, roomId, ['103'], 't-1790519972067_r-1_d-1_u-1');
      await until(() => events.length === 4, 'the gap and the next chat');
      expect(resumes[1]?.cursor).toBe('t-1790519971067_r-1_d-1_u-1');
      expect(events.map((e) => e.type)).toEqual(['ChatEvent', 'ChatEvent', 'StreamGapEvent', 'ChatEvent']);
      expect((events[2] as { reason: string }).reason).toMatch(/cannot prove/);
    } finally {
      connection.stop();
      await server.close();
    }
  });
});

// issue 16 item 9: a collection starts from im/fetch's cursor. Whatever the upstream sends first
// must follow on from it; a first frame that starts further on means the messages between were
// skipped, at the very start as much as later (no earlier frame to compare with is no excuse).
describe('PushConnection at the start of a collection', () => {
  it('resumes from im/fetch\'s cursor when the first frame skips messages, and misses none of them', async () => {
    upstream = await Upstream.start();
    const room = upstream.sim.liveRooms()[0]!;
    // The upstream hears the new connection but sends nothing of what the room says meanwhile.
    const fault = upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'stall' } })!;
    const push = upstream.open(room.id, { stallMs: 60_000 });
    await until(() => push.state() === 'LIVE' && upstream!.openConnections(room.id).length === 1, 'the first connection');
    const skipped = room.emit(17, { perFrame: 5, kinds: ['chat'] });
    upstream.sim.clearFaults(fault);
    const after = room.emit(10, { perFrame: 5, kinds: ['chat'] });
    const expected = uniqueIds([...skipped, ...after]);
    await until(() => push.upstream().length >= expected.length, () => `every message (${push.upstream().length} of ${expected.length})`);

    expectSkipRecoveredInFull(upstream, push, expected);
  });

  it('says so with one gap when the upstream can no longer resend what the first frame skipped', async () => {
    upstream = await Upstream.start({ backlogSize: 10 });
    const room = upstream.sim.liveRooms()[0]!;
    const fault = upstream.sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'stall' } })!;
    const push = upstream.open(room.id, { stallMs: 60_000 });
    await until(() => push.state() === 'LIVE' && upstream!.openConnections(room.id).length === 1, 'the first connection');
    const skipped = room.emit(30, { perFrame: 5, kinds: ['chat'] });
    upstream.sim.clearFaults(fault);
    const after = room.emit(5, { perFrame: 5, kinds: ['chat'] });
    // The backlog holds the last 10: the stall's last 5 and the 5 after it.
    const kept = [...skipped.slice(-5), ...after];
    const lost = skipped.slice(0, -5);
    await until(() => push.upstream().length >= kept.length, 'what the backlog still held');

    expect(push.upstream().map((e) => e.id)).toEqual(uniqueIds(kept));
    expect(push.gaps()).toHaveLength(1);
    const gap = push.gaps()[0]!;
    expect(push.recorded.events[push.recorded.events.indexOf(gap) + 1]!.id).toBe(kept[0]!.msgId);
    expect(gap.from).toBeLessThanOrEqual(lost[0]!.sentAt);
    expect(gap.to).toBeGreaterThanOrEqual(lost.at(-1)!.sentAt);
  });
});
