// issue 8 proof, shared fan-out over the simulator with real tokens: many subscribers of one
// token and one document run as one execution holding one room watch, another token's as
// another; every chat reaches every operation once and in order, each socket sees frames only
// for its own operation ids, and the event-lag metric (observed once per executed event) shows
// one execution per group per chat instead of one per subscriber. When they all leave, the
// groups end and the room watch is released.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tokenFile, type TokenFile } from './helpers/vendor.ts';
import { startStack, until, type Stack } from './stack.ts';

const CHATS = `subscription ($id: ID!) {
  roomEvents(roomId: $id, types: [CHAT]) { __typename id ... on ChatEvent { content user { id nickname } } }
}`;

interface Frame {
  type: string;
  id?: string;
  payload?: any;
}

/** A graphql-ws client on a raw socket that keeps every frame. */
class FrameLog {
  readonly frames: Frame[] = [];
  closed = false;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Frame));
    socket.on('close', () => (this.closed = true));
  }

  static async connect(url: string, token: string): Promise<FrameLog> {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const log = new FrameLog(socket);
    socket.send(JSON.stringify({ type: 'connection_init', payload: { token } }));
    await until(() => log.frames.some((frame) => frame.type === 'connection_ack') || log.closed, 'connection_ack');
    if (log.closed) throw new Error('the gateway refused the connection');
    return log;
  }

  subscribe(id: string, roomId: string): void {
    this.socket.send(JSON.stringify({ type: 'subscribe', id, payload: { query: CHATS, variables: { id: roomId } } }));
  }

  chatIds(id: string): string[] {
    return this.frames.filter((frame) => frame.id === id && frame.type === 'next').map((frame) => frame.payload.data.roomEvents.id as string);
  }
}

describe('shared fan-out end to end', () => {
  let stack: Stack;
  let tokens: TokenFile;
  let teamA: string;
  let teamB: string;
  const logs: FrameLog[] = [];

  beforeAll(async () => {
    tokens = tokenFile();
    teamA = tokens.add('team a');
    teamB = tokens.add('team b');
    stack = await startStack({ env: { API_TOKENS_FILE: tokens.file } });
  });
  afterAll(async () => {
    for (const log of logs) log.socket.terminate();
    await stack?.close();
    tokens?.cleanup();
  });

  async function metric(prefix: string): Promise<number> {
    const line = (await stack.metrics.render()).split('\n').find((l) => l.startsWith(prefix));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  }

  const watchers = (roomId: string) => stack.gateway.supervisor.watchedRooms().find((room) => room.roomId === roomId)?.watchers ?? 0;

  it('runs one execution per token for 65 subscribers, each getting every chat under its own ids', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const handshakesBefore = stack.sim.requests({ kind: 'ws' }).filter((r) => r.query.room_id === room.id).length;
    // Team a: 3 sockets × 20 operations; team b: one socket × 5 operations.
    const plan: { token: string; sockets: number; operations: number }[] = [
      { token: teamA, sockets: 3, operations: 20 },
      { token: teamB, sockets: 1, operations: 5 },
    ];
    const owned = new Map<FrameLog, string[]>();
    for (const { token, sockets, operations } of plan) {
      for (let s = 0; s < sockets; s += 1) {
        const log = await FrameLog.connect(stack.wsUrl, token);
        logs.push(log);
        const ids = Array.from({ length: operations }, (_, i) => `${token === teamA ? 'a' : 'b'}${s}-${i}`);
        for (const id of ids) log.subscribe(id, room.id);
        owned.set(log, ids);
      }
    }
    const members = 3 * 20 + 5;
    await until(() => stack.app.ws.fanout().members === members, 'every operation to join a group');
    expect(stack.app.ws.fanout().groups).toBe(2);
    await until(() => stack.gateway.supervisor.connectionState(room.id) === 'LIVE', 'the room to go LIVE');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
    expect(watchers(room.id)).toBe(2);
    expect(await metric(`douyin_gateway_subscribers{room_id="${room.id}"}`)).toBe(members);

    const lagBefore = await metric('douyin_gateway_event_lag_seconds_count');
    const chats = room.emit(40, { kinds: ['chat'] }).filter((record) => !record.duplicate);
    const expected = chats.map((record) => record.msgId);
    await until(
      () => [...owned].every(([log, ids]) => ids.every((id) => log.chatIds(id).length >= expected.length)),
      'every operation to receive every chat',
      20_000,
    );

    for (const [log, ids] of owned) {
      const mine = new Set(ids);
      expect(log.frames.filter((frame) => frame.id !== undefined && !mine.has(frame.id))).toEqual([]);
      for (const id of ids) expect(log.chatIds(id)).toEqual(expected);
    }
    // Two executions (one per token) per chat, not 65.
    expect((await metric('douyin_gateway_event_lag_seconds_count')) - lagBefore).toBe(2 * expected.length);
    const handshakes = stack.sim.requests({ kind: 'ws' }).filter((r) => r.query.room_id === room.id).length - handshakesBefore;
    expect(handshakes).toBe(1);

    for (const log of logs.splice(0)) log.socket.close(1000);
    await until(() => stack.app.ws.fanout().groups === 0, 'the groups to end');
    await until(() => watchers(room.id) === 0, 'the room watch to be released');
    expect(await metric(`douyin_gateway_subscribers{room_id="${room.id}"}`)).toBe(0);
  });
});
