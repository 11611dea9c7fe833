// Every fault does what it says, observed from a real `ws` client or `fetch` over a real socket.
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimulatorError, startSimulator, type SimRoom, type Simulator } from '../../src/simulator/index.ts';
import { PushTestClient, pushUrlFor, refusedHandshake } from './helpers/push-client.ts';
import { until } from '../support/until.ts';

const root = new protobuf.Root().loadSync(fileURLToPath(new URL('../../proto/webcast.proto', import.meta.url)));

let sim: Simulator;
let room: SimRoom;
const clients: PushTestClient[] = [];

async function connect(target: SimRoom = room, autoAck = true): Promise<PushTestClient> {
  const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, target.id), { autoAck });
  clients.push(client);
  return client;
}

/** Where a frame breaks: 'ok', or the first layer that does not decode. */
function brokenLayer(raw: Uint8Array): 'frame' | 'gzip' | 'response' | 'ok' {
  let payload: Uint8Array;
  try {
    payload = (root.lookupType('webcast.PushFrame').decode(raw) as unknown as { payload: Uint8Array }).payload;
  } catch {
    return 'frame';
  }
  let inflated: Uint8Array;
  try {
    inflated = gunzipSync(payload);
  } catch {
    return 'gzip';
  }
  try {
    root.lookupType('webcast.Response').decode(inflated);
  } catch {
    return 'response';
  }
  return 'ok';
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 'faults', rooms: [{ duplicateChatRate: 0 }], autoTraffic: false });
  room = sim.liveRooms()[0]!;
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  sim.clearFaults();
  room.duplicateChatRate = 0;
});

afterAll(async () => {
  await sim.stop();
});

describe('push faults', () => {
  it('drops the socket (no close frame) after N frames, for as many connections as `times` says', async () => {
    sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'drop-after-frames', frames: 3 }, times: 1 });
    const dropped = await connect();
    room.emit(5, { perFrame: 1, kinds: ['chat'] });
    const close = await dropped.waitForClose();
    expect(close.code).toBe(1006);
    expect(dropped.msgFrames()).toHaveLength(3);
    const survivor = await connect();
    room.emit(5, { perFrame: 1, kinds: ['chat'] });
    await survivor.waitForMessages(5);
    await survivor.roundTrip();
    expect(survivor.closed).toBeNull();
  });

  it('stalls a connection: nothing is sent, not even heartbeat replies, until the fault is cleared', async () => {
    const client = await connect();
    const connectionId = sim.connections().find((c) => !c.closed)!.id;
    const faultId = sim.injectFault({ target: { connectionId }, fault: { kind: 'stall' } })!;
    const during = room.emit(3, { kinds: ['chat'] });
    client.sendHeartbeat();
    await until(() => sim.connections().find((c) => c.id === connectionId)?.heartbeatsReceived === 1, 'the heartbeat to arrive', 5_000);
    sim.clearFaults(faultId);
    const after = room.emit(2, { perFrame: 2, kinds: ['chat'] });
    await client.roundTrip();
    const received = client.messages().map((m) => m.msgId);
    expect(received).toEqual(after.map((r) => r.msgId));
    expect(received).not.toContain(during[0]!.msgId);
    expect(client.heartbeats()).toHaveLength(1);
    expect(sim.connections().find((c) => c.id === connectionId)).toMatchObject({ heartbeatsReceived: 2, heartbeatsAnswered: 1 });
    expect(client.closed).toBeNull();
  });

  it('pushes chats a second time with the same msg_id, one frame later', async () => {
    const client = await connect();
    sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'duplicate-chats', rate: 1 } });
    const records = room.emit(3, { perFrame: 1, kinds: ['chat'] });
    room.emit(0); // flush the last chat's second copy
    await client.waitForMessages(6);
    const frames = client.msgFrames().map((f) => f.messages.map((m) => m.msgId));
    const [a, b, c] = records.filter((r) => !r.duplicate).map((r) => r.msgId);
    expect(frames).toEqual([[a], [a, b], [b, c], [c]]);
    expect(room.truth().filter((r) => r.duplicate).map((r) => r.msgId)).toEqual([a, b, c]);
  });

  it('duplicates about 2.4% of chats by default', async () => {
    const busy = await startSimulator({ seed: 'dup-rate', rooms: [{}], autoTraffic: false });
    try {
      const records = busy.liveRooms()[0]!.emit(2_500, { kinds: ['chat'] });
      const chats = records.filter((r) => !r.duplicate).length;
      const copies = records.filter((r) => r.duplicate).length;
      expect(copies / chats).toBeGreaterThan(0.015);
      expect(copies / chats).toBeLessThan(0.035);
    } finally {
      await busy.stop();
    }
  });

  it.each(['bad-gzip', 'truncated-protobuf', 'truncated-frame'] as const)('inserts one %s frame before the next real one', async (corruption) => {
    const client = await connect();
    sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'corrupt-frame', corruption } });
    const records = room.emit(2, { perFrame: 1, kinds: ['chat'] });
    await client.waitForMessages(2);
    const layers = client.frames.map((f) => brokenLayer(f.raw));
    const expected = { 'bad-gzip': 'gzip', 'truncated-protobuf': 'response', 'truncated-frame': 'frame' }[corruption];
    expect(layers).toEqual([expected, 'ok', 'ok']);
    expect(client.messages().map((m) => m.msgId)).toEqual(records.map((r) => r.msgId));
    expect(sim.faults()).toHaveLength(0);
  });

  it('withholds gift and rank messages from the targeted cookie\'s connection, everything else still sent', async () => {
    sim.injectFault({ target: { cookie: 'sessionid=distrusted' }, fault: { kind: 'hide-gifts' } });
    const url = pushUrlFor(sim.pushUrl, room.id);
    const [hidden, trusted] = [
      await PushTestClient.connect(url, { cookie: 'sessionid=distrusted; uid_tt=1' }),
      await PushTestClient.connect(url, { cookie: 'sessionid=trusted' }),
    ];
    try {
      const records = room.emit(60, { kinds: ['chat', 'gift', 'rank'] }).filter((r) => !r.duplicate);
      const gifts = records.filter((r) => r.kind === 'gift' || r.kind === 'rank');
      expect(gifts.length).toBeGreaterThan(0);
      await trusted.waitForMessages(records.length);
      await hidden.waitForMessages(records.length - gifts.length);
      expect(new Set(hidden.messages().map((m) => m.method))).toEqual(new Set(['WebcastChatMessage']));
      expect(hidden.messages().map((m) => m.msgId)).toEqual(records.filter((r) => r.kind === 'chat').map((r) => r.msgId));
      expect(trusted.messages().map((m) => m.msgId)).toEqual(records.map((r) => r.msgId));
    } finally {
      hidden.close();
      trusted.close();
    }
  });

  it('refuses the handshake like Douyin (200, handshake-status 415, DEVICE_BLOCKED) as often as told', async () => {
    sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'refuse-handshake' }, times: 1 });
    sim.clearRequests();
    const refused = await refusedHandshake(pushUrlFor(sim.pushUrl, room.id));
    expect(refused).toMatchObject({ status: 200, body: '' });
    expect(refused.headers['handshake-status']).toBe('415');
    expect(refused.headers['handshake-msg']).toBe('DEVICE_BLOCKED');
    const accepted = await connect();
    expect(accepted.ws.readyState).toBe(accepted.ws.OPEN);
    expect(sim.requests({ kind: 'ws' }).map((r) => r.status)).toEqual([200, 101]);
  });

  it('ends the live on demand: Control action 3, then close, then check_alive says not alive', async () => {
    const target = sim.createRoom({ duplicateChatRate: 0 });
    const client = await connect(target);
    sim.injectFault({ target: { roomId: target.id }, fault: { kind: 'end-live' } });
    expect((await client.waitForClose()).code).toBe(1000);
    expect(client.messages().at(-1)?.method).toBe('WebcastControlMessage');
    const body = (await (await fetch(`${sim.url}/webcast/room/check_alive/?room_ids=${target.id}`)).json()) as any;
    expect(body.data[0].alive).toBe(false);
  });

  it('drops one connection on request, leaving the others', async () => {
    const first = await connect();
    const second = await connect();
    const [a] = sim.connections().filter((c) => !c.closed);
    sim.dropConnection(a!.id);
    expect((await first.waitForClose()).code).toBe(1006);
    room.emit(1, { kinds: ['chat'] });
    await second.waitForMessages(1);
  });
});

describe('HTTP faults', () => {
  const enterPath = () => `/webcast/room/web/enter/?web_rid=${room.webRid}`;
  const enter = (init: RequestInit = {}) => fetch(`${sim.url}${enterPath()}`, { ...init, headers: { cookie: 'ttwid=1' } });

  it('delays an answer: the call is logged and pending, then answered normally', async () => {
    sim.injectFault({ target: { path: '/webcast/room/web/enter/' }, fault: { kind: 'delay', ms: 300 }, times: 1 });
    sim.clearRequests();
    const started = performance.now();
    let settled = false;
    const pending = enter().then((response) => {
      settled = true;
      return response;
    });
    await until(() => sim.requests().length === 1, 'the call to arrive', 5_000);
    expect(sim.requests()[0]?.status).toBeNull();
    expect(settled).toBe(false);
    const response = await pending;
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(((await response.json()) as any).data.enter_room_id).toBe(room.id);
    expect(sim.requests()[0]?.status).toBe(200);
  });

  it('never answers a hung call while later calls are answered', async () => {
    sim.injectFault({ target: { path: '/webcast/room/web/enter/' }, fault: { kind: 'hang' }, times: 1 });
    sim.clearRequests();
    const abort = new AbortController();
    let settled = false;
    const hung = enter({ signal: abort.signal }).finally(() => {
      settled = true;
    });
    await until(() => sim.requests().length === 1, 'the hung call to arrive', 5_000);
    const next = await enter();
    expect(next.status).toBe(200);
    expect(settled).toBe(false);
    expect(sim.requests().map((r) => r.status)).toEqual([null, 200]);
    abort.abort();
    await expect(hung).rejects.toThrow();
  });

  it('answers 429 with retry-after for `times` calls, then normally', async () => {
    sim.injectFault({ target: { path: '/webcast/room/reflow/info/' }, fault: { kind: 'rate-limit', retryAfterSeconds: 7 }, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${sim.url}/webcast/room/reflow/info/?room_id=${room.id}`);
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get('retry-after')).toBe('7');
      await response.arrayBuffer();
    }
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('answers an empty body (risk control) only on the targeted path', async () => {
    sim.injectFault({ target: { path: '/webcast/room/reflow/info/' }, fault: { kind: 'empty-body' } });
    const reflow = await fetch(`${sim.url}/webcast/room/reflow/info/?room_id=${room.id}`);
    expect(reflow.status).toBe(200);
    expect(await reflow.text()).toBe('');
    const response = await enter();
    expect(((await response.json()) as any).status_code).toBe(0);
  });

  it('answers a captcha, the acrawler page or a bare status as Douyin does (protocol §6.5)', async () => {
    const path = '/webcast/room/reflow/info/';
    const ask = () => fetch(`${sim.url}${path}?room_id=${room.id}`);
    const captcha = sim.injectFault({ target: { path }, fault: { kind: 'captcha' } })!;
    const verify = await ask();
    expect(verify.status).toBe(200);
    expect(JSON.parse(verify.headers.get('bdturing-verify')!)).toMatchObject({ code: 10000, type: 'verify' });
    expect(verify.headers.get('x-vc-bdturing-parameters')).not.toBeNull();
    expect(await verify.text()).toBe('');
    sim.clearFaults(captcha);
    const challenge = sim.injectFault({ target: { path }, fault: { kind: 'challenge' } })!;
    const page = await ask();
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/^<html>.*__ac_nonce=/);
    sim.clearFaults(challenge);
    sim.injectFault({ target: { path }, fault: { kind: 'status', status: 403 }, times: 1 });
    const refused = await ask();
    expect(refused.status).toBe(403);
    await refused.arrayBuffer();
    expect((await ask()).status).toBe(200);
    expect(() => sim.injectFault({ target: { path }, fault: { kind: 'status', status: 42 } })).toThrow(/status from 100 to 599/);
  });

  it('rejects a fault aimed at the wrong kind of target with a BAD_REQUEST error', () => {
    expect(() => sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'hang' } })).toThrow(SimulatorError);
    expect(() => sim.injectFault({ target: { path: '/webcast/feed/' }, fault: { kind: 'stall' } })).toThrow(/push fault/);
    expect(() => sim.injectFault({ fault: { kind: 'drop-after-frames', frames: 0 } })).toThrow(/frames >= 1/);
  });
});
