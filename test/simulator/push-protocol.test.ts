// The push WebSocket speaks Douyin's protocol: handshake checks, heartbeats, gzip'd msg frames
// with Douyin's headers and Response fields, every message type, acks, and the end of a live.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { decodeCommon, decodePayload, encodeClientFrame } from './helpers/frames.ts';
import { PushTestClient, pushUrlFor, refusedHandshake } from './helpers/push-client.ts';

let sim: Simulator;
const clients: PushTestClient[] = [];

async function connect(roomId: string, extra: Record<string, string> = {}, autoAck = true): Promise<PushTestClient> {
  const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, roomId, extra), { autoAck });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 'push-protocol', rooms: [{ goods: true, duplicateChatRate: 0 }], autoTraffic: false });
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  sim.clearFaults();
});

afterAll(async () => {
  await sim.stop();
});

function liveRoom() {
  const room = sim.liveRooms()[0];
  if (!room) throw new Error('no live room');
  return room;
}

describe('handshake', () => {
  it('refuses a handshake without room_id the way Douyin does: 200, empty body, handshake-status 415', async () => {
    const answer = await refusedHandshake(`${sim.pushUrl}/webcast/im/push/v2/?app_name=douyin_web`);
    expect(answer.status).toBe(200);
    expect(answer.headers['handshake-status']).toBe('415');
    expect(answer.headers['handshake-msg']).toBe('DEVICE_BLOCKED');
    expect(answer.body).toBe('');
  });

  it('answers 404 on another path', async () => {
    const answer = await refusedHandshake(`${sim.pushUrl}/webcast/im/push/v3/?room_id=${liveRoom().id}`);
    expect(answer.status).toBe(404);
  });

  it('logs each handshake as a ws request with its query', async () => {
    sim.clearRequests();
    await connect(liveRoom().id, { cursor: 't-1_r-1_d-1_u-1' });
    const handshakes = sim.requests({ kind: 'ws' });
    expect(handshakes).toHaveLength(1);
    expect(handshakes[0]).toMatchObject({ path: '/webcast/im/push/v2/', status: 101 });
    expect(handshakes[0]?.query.room_id).toBe(liveRoom().id);
    expect(handshakes[0]?.query.cursor).toBe('t-1_r-1_d-1_u-1');
  });

  it('connects to an unknown room_id but sends it nothing, like an old room_id on Douyin', async () => {
    const client = await connect('7000000000000000001');
    liveRoom().emit(5);
    await client.roundTrip();
    expect(client.msgFrames()).toHaveLength(0);
    expect(sim.connections().find((c) => c.roomId === '7000000000000000001')?.knownRoom).toBe(false);
  });
});

describe('signature checks (when turned on)', () => {
  let signed: Simulator;

  beforeAll(async () => {
    signed = await startSimulator({ seed: 'signed', rooms: [{}], autoTraffic: false, requireSignature: true });
  });

  afterAll(async () => {
    await signed.stop();
  });

  it('refuses a push handshake without a signature and accepts a 16-character one', async () => {
    const roomId = signed.liveRooms()[0]?.id as string;
    const refused = await refusedHandshake(pushUrlFor(signed.pushUrl, roomId));
    expect(refused.headers['handshake-status']).toBe('415');
    const client = await PushTestClient.connect(pushUrlFor(signed.pushUrl, roomId, { signature: '6l+ErMiddwgL2Tah' }));
    clients.push(client);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });

  it('refuses a signature whose + was not URL-encoded (it arrives as a space)', async () => {
    const roomId = signed.liveRooms()[0]?.id as string;
    const url = `${pushUrlFor(signed.pushUrl, roomId)}&signature=6l+ErMiddwgL2Tah`;
    const refused = await refusedHandshake(url);
    expect(refused.headers['handshake-msg']).toBe('DEVICE_BLOCKED');
  });
});

describe('heartbeats and pings', () => {
  it('answers a client hb frame with a server hb carrying server_time', async () => {
    const client = await connect(liveRoom().id);
    await client.roundTrip();
    const hb = client.heartbeats()[0];
    expect(hb?.payloadType).toBe('hb');
    expect(Number(hb?.headers.server_time)).toBeGreaterThan(1_700_000_000_000);
    expect(hb?.headers.compress_type).toBe('gzip');
  });

  it('answers a WebSocket ping with a pong', async () => {
    const client = await connect(liveRoom().id);
    const pong = new Promise<string>((resolve) => client.ws.once('pong', (data: Buffer) => resolve(data.toString())));
    client.ws.ping('are-you-there');
    await expect(pong).resolves.toBe('are-you-there');
  });

  it('counts a client frame that is not a PushFrame and keeps the connection', async () => {
    const client = await connect(liveRoom().id);
    client.ws.send(Uint8Array.of(0x0a, 0xff, 0xff));
    await client.roundTrip();
    const info = sim.connections().find((c) => !c.closed && c.badClientFrames > 0);
    expect(info?.badClientFrames).toBe(1);
  });
});

describe('msg frames', () => {
  it('wraps each batch in a gzip Response with Douyin headers, cursor, internal_ext and need_ack', async () => {
    const room = liveRoom();
    const client = await connect(room.id);
    const records = room.emit(6, { perFrame: 3, kinds: ['chat'] });
    await client.waitForMessages(6);
    const frames = client.msgFrames();
    expect(frames).toHaveLength(2);
    for (const frame of frames) {
      expect(frame.payloadEncoding).toBe('pb');
      expect(frame.headers.compress_type).toBe('gzip');
      expect(frame.headers['im-live_cursor']).toBe('d-1_u-1');
      expect(frame.headers['im-cursor']).toBe(frame.response?.cursor);
      expect(frame.headers['im-internal_ext']).toBe(frame.response?.internalExt);
      expect(frame.headers['im-now']).toBe(frame.response?.now);
      expect(frame.response?.cursor).toMatch(/^t-\d{13}_r-\d{19}_d-1_u-1$/);
      expect(frame.response?.internalExt).toMatch(/^internal_src:pushserver\|first_req_ms:\d{13}\|wss_msg_type:r\|wrds_v:\d+$/);
      expect(frame.response?.needAck).toBe(true);
      expect(frame.response?.heartbeatDuration).toBe('15');
      expect(frame.payload.subarray(0, 2)).toEqual(Uint8Array.of(0x1f, 0x8b));
    }
    expect(Number(frames[1]?.seqId)).toBeGreaterThan(Number(frames[0]?.seqId));
    expect(BigInt(frames[1]?.logId as string)).toBeGreaterThan(BigInt(frames[0]?.logId as string));
    expect(client.messages().map((m) => m.msgId)).toEqual(records.map((r) => r.msgId));
  });

  it('sends every message type the decoder knows plus one it does not', async () => {
    const room = liveRoom();
    const client = await connect(room.id);
    const kinds = ['chat', 'emoji', 'member', 'like', 'follow', 'share', 'gift', 'viewers', 'stats', 'fansclub', 'rank', 'product', 'shopping', 'purchase', 'intro', 'notice', 'banner'] as const;
    for (const kind of kinds) room.emitKind(kind);
    await client.waitForMessages(kinds.length);
    const methods = new Set(client.messages().map((m) => m.method));
    for (const method of [
      'WebcastChatMessage', 'WebcastEmojiChatMessage', 'WebcastMemberMessage', 'WebcastLikeMessage', 'WebcastSocialMessage',
      'WebcastGiftMessage', 'WebcastRoomUserSeqMessage', 'WebcastRoomStatsMessage', 'WebcastFansclubMessage', 'WebcastRoomRankMessage',
      'WebcastProductChangeMessage', 'WebcastLiveShoppingMessage', 'WebcastLiveEcomMessage', 'WebcastRoomIntroMessage',
      'WebcastRoomMessage', 'WebcastInRoomBannerMessage',
    ]) {
      expect(methods, method).toContain(method);
    }
    for (const message of client.messages()) {
      const common = decodeCommon(message);
      expect(common.method).toBe(message.method);
      expect(common.msgId).toBe(message.msgId);
      expect(common.roomId).toBe(room.id);
      if (message.method !== 'WebcastInRoomBannerMessage') expect(() => decodePayload(message)).not.toThrow();
    }
    const social = client.messages().filter((m) => m.method === 'WebcastSocialMessage').map((m) => decodePayload(m).action);
    expect(social.sort()).toEqual(['1', '3']);
  });

  it('writes chats like the 2026 captures: no create_time, event_time in seconds', async () => {
    const room = liveRoom();
    const client = await connect(room.id);
    const [record] = room.emit(1, { kinds: ['chat'] });
    await client.waitForMessages(1);
    const chat = decodePayload(client.messages()[0]!);
    expect(chat.content).toBe(record?.text);
    expect(chat.common.createTime).toBe('0');
    expect(Number(chat.eventTime)).toBeLessThan(1e11);
    expect(chat.user.secUid).toMatch(/^MS4wLjABAAAA[\w-]{43,64}$/);
    expect(chat.user.id).toBe(record?.userId);
  });
});

describe('acks', () => {
  it('accepts acks that echo log_id and internal_ext, and counts those that do not', async () => {
    const room = liveRoom();
    const client = await connect(room.id, {}, false);
    room.emit(3, { perFrame: 1, kinds: ['chat'] });
    await client.waitForMessages(3);
    const [, second, third] = client.msgFrames();
    client.ws.send(client.decoderAck(0));
    client.ack(second!, 'internal_src:somewhere-else');
    client.ws.send(encodeClientFrame({ logId: '123', payloadType: 'ack', payload: Buffer.from(third!.response!.internalExt) }));
    await client.roundTrip();
    const info = sim.connections().find((c) => !c.closed && c.framesSent === 3);
    expect(info).toMatchObject({ acks: 1, badAcks: 2, unacked: 2 });
  });

  it('stops streaming to a client that does not ack, while an acking client keeps receiving', async () => {
    const strict = await startSimulator({ seed: 'acks', rooms: [{ duplicateChatRate: 0 }], autoTraffic: false, ack: { maxUnacked: 3, timeoutMs: 0 } });
    try {
      const room = strict.liveRooms()[0]!;
      const silent = await PushTestClient.connect(pushUrlFor(strict.pushUrl, room.id), { autoAck: false });
      const acking = await PushTestClient.connect(pushUrlFor(strict.pushUrl, room.id), { autoAck: true });
      clients.push(silent, acking);
      for (let i = 0; i < 8; i++) {
        room.emit(1, { kinds: ['chat'] });
        await acking.waitForMessages(i + 1);
        await acking.roundTrip(); // its ack has reached the server before the next frame
      }
      await silent.roundTrip();
      expect(acking.msgFrames()).toHaveLength(8);
      expect(silent.msgFrames()).toHaveLength(3);
      const silentInfo = strict.connections().find((c) => c.acks === 0);
      expect(silentInfo?.cutOff).toMatch(/3 frames unacked/);
      expect(silentInfo?.closed).toBe(false);
    } finally {
      await strict.stop();
    }
  });

  it('cuts a client off when its oldest frame has waited too long for an ack', async () => {
    let now = 1_790_000_000_000;
    const timed = await startSimulator({ seed: 'ack-timeout', rooms: [{}], autoTraffic: false, clock: { now: () => now }, ack: { maxUnacked: 0, timeoutMs: 10_000 } });
    try {
      const room = timed.liveRooms()[0]!;
      const client = await PushTestClient.connect(pushUrlFor(timed.pushUrl, room.id), { autoAck: false });
      clients.push(client);
      room.emit(1, { kinds: ['chat'] });
      now += 9_999;
      room.emit(1, { kinds: ['chat'] });
      now += 1;
      room.emit(1, { kinds: ['chat'] });
      await client.roundTrip();
      expect(client.msgFrames()).toHaveLength(2);
      expect(timed.connections()[0]?.cutOff).toBe('no ack for 10000 ms');
    } finally {
      await timed.stop();
    }
  });
});

describe('end of live', () => {
  it('sends the Control message with action 3, then closes with 1000', async () => {
    const room = sim.createRoom({ duplicateChatRate: 0 });
    const client = await connect(room.id);
    room.emit(2, { kinds: ['chat'] });
    const record = sim.endRoom(room.id);
    const close = await client.waitForClose();
    expect(close.code).toBe(1000);
    const last = client.messages().at(-1)!;
    expect(last.method).toBe('WebcastControlMessage');
    expect(last.msgId).toBe(record?.msgId);
    expect(decodePayload(last).action).toBe('3');
    expect(room.isLive).toBe(false);
  });

  it('lets clients connect to an ended room but sends nothing', async () => {
    const room = sim.createRoom({ live: false });
    const client = await connect(room.id);
    await client.roundTrip();
    expect(client.msgFrames()).toHaveLength(0);
  });
});
