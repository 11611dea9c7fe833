// The simulator's frames through the project's own decoder (src/collectors/protocol): every
// message type maps to its domain event, the decoder's acks are accepted, its heartbeat is
// answered and each corruption is reported with the right typed error.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import type { UpstreamEvent } from '../../src/domain/events.ts';
import { startSimulator, type MessageKind, type SimRoom, type Simulator } from '../../src/simulator/index.ts';
import { incompleteness } from '../protocol/event-schema.ts';
import { PushTestClient, pushUrlFor } from './helpers/push-client.ts';

let sim: Simulator;
let room: SimRoom;
const clients: PushTestClient[] = [];

async function connect(target: SimRoom = room): Promise<PushTestClient> {
  const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, target.id), { roomId: target.id });
  clients.push(client);
  return client;
}

function events(client: PushTestClient): UpstreamEvent[] {
  return client.frames.flatMap((f) => (f.result.ok ? f.result.value.events : []));
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 'decoder', rooms: [{ goods: true, duplicateChatRate: 0 }], autoTraffic: false });
  room = sim.liveRooms()[0]!;
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  sim.clearFaults();
});

afterAll(async () => {
  await sim.stop();
});

const EXPECTED_EVENT: Record<Exclude<MessageKind, 'control'>, string> = {
  chat: 'ChatEvent',
  emoji: 'EmojiChatEvent',
  member: 'MemberJoinedEvent',
  like: 'LikeEvent',
  follow: 'FollowEvent',
  share: 'ShareEvent',
  gift: 'GiftEvent',
  viewers: 'ViewerCountEvent',
  stats: 'RoomStatsEvent',
  fansclub: 'FansClubEvent',
  rank: 'RankUpdateEvent',
  product: 'ProductEvent',
  shopping: 'ProductEvent',
  purchase: 'ProductEvent',
  intro: 'RoomIntroEvent',
  notice: 'RoomNoticeEvent',
  banner: 'BannerEvent',
  sync: 'RoomSyncEvent',
  hourRank: 'HourlyRankEvent',
  giftSort: 'GiftPanelEvent',
  layout: 'StreamLayoutEvent',
  hotRoom: 'HotRoomEvent',
  guest: 'GuestPolicyEvent',
  lowPcu: 'AudienceGuideEvent',
  fanTicket: 'FanTicketEvent',
  hotChat: 'HotChatEvent',
  chatLike: 'ChatLikeEvent',
  screenChat: 'ScreenChatEvent',
  pin: 'PinnedMessageEvent',
  deleted: 'MessageDeletedEvent',
  redEnvelope: 'RedEnvelopeEvent',
  poll: 'PollEvent',
  // Sent in this order: the battle starts, so armies and contributions have one to report on.
  pk: 'PkBattleEvent',
  pkArmies: 'PkContributionEvent',
  pkContribute: 'PkContributionEvent',
  linkMic: 'LinkMicEvent',
};

describe('through the project decoder', () => {
  it('maps every message kind to its domain event, keyed by the msg_id the simulator sent', async () => {
    const client = await connect();
    const sent = (Object.keys(EXPECTED_EVENT) as (keyof typeof EXPECTED_EVENT)[]).map((kind) => room.emitKind(kind));
    await client.waitFor(() => events(client).length === sent.length, 'one event per message');
    const byId = new Map(events(client).map((e) => [e.id, e]));
    for (const record of sent) {
      const event = byId.get(record.msgId);
      expect(event?.type, record.kind).toBe(EXPECTED_EVENT[record.kind as keyof typeof EXPECTED_EVENT]);
      expect(event?.roomId).toBe(room.id);
      expect(event?.method).toBe(record.method);
      expect(incompleteness(event), record.kind).toBe('');
    }
    expect(client.frames.flatMap((f) => (f.result.ok ? f.result.value.errors : [f.result.error]))).toEqual([]);
  });

  it('decodes a busy stream without a single error, and the server accepts every ack it wrote', async () => {
    const client = await connect();
    const records = room.emit(1_000);
    await client.waitFor(() => events(client).length === records.length, `${records.length} events`);
    await client.roundTrip();
    const info = sim.connections().find((c) => !c.closed)!;
    expect(info).toMatchObject({ acks: info.framesSent, badAcks: 0, unacked: 0, heartbeatsAnswered: 1 });
    const chats = events(client).filter((e) => e.type === 'ChatEvent');
    expect(chats.map((e) => (e.type === 'ChatEvent' ? e.content : ''))).toEqual(records.filter((r) => r.kind === 'chat').map((r) => r.text));
  });

  it('reports messages for another room as WRONG_ROOM', async () => {
    const client = await connect();
    room.emit(3, { kinds: ['chat'], perFrame: 3 });
    await client.waitForMessages(3);
    const result = decodeFrame(client.frames[0]!.raw, { roomId: '7000000000000000001' });
    expect(result.ok && result.value.errors.map((e) => e.code)).toEqual(['WRONG_ROOM', 'WRONG_ROOM', 'WRONG_ROOM']);
  });

  it.each([
    ['bad-gzip', 'BAD_GZIP'],
    ['truncated-protobuf', 'BAD_RESPONSE'],
    ['truncated-frame', 'BAD_FRAME'],
  ] as const)('reports a %s frame as %s and decodes the real frame after it', async (corruption, code) => {
    const client = await connect();
    sim.injectFault({ target: { roomId: room.id }, fault: { kind: 'corrupt-frame', corruption } });
    const [record] = room.emit(1, { kinds: ['chat'] });
    await client.waitFor(() => client.frames.length === 2, 'two frames');
    const [broken, real] = client.frames;
    expect(broken!.result.ok ? null : broken!.result.error.code).toBe(code);
    expect(real!.result.ok && real!.result.value.events.map((e) => e.id)).toEqual([record!.msgId]);
  });

  it('sees gift combos the way the ground truth counts them', async () => {
    // A fresh room: combos still running elsewhere would carry counts from before.
    const fresh = sim.createRoom({ duplicateChatRate: 0 });
    const client = await connect(fresh);
    const records = fresh.emit(400, { kinds: ['gift'] });
    await client.waitFor(() => events(client).length === records.length, 'gift events');
    const highest = new Map<string, { repeat: number; price: number; groupCount: number }>();
    for (const event of events(client)) {
      if (event.type !== 'GiftEvent') continue;
      const group = highest.get(event.groupId) ?? { repeat: 0, price: event.gift.diamondCount, groupCount: event.groupCount };
      group.repeat = Math.max(group.repeat, event.repeatCount);
      highest.set(event.groupId, group);
    }
    const fromEvents = [...highest.values()].reduce((sum, g) => sum + g.repeat * g.groupCount * g.price, 0);
    const fromTruth = records.reduce((sum, r) => sum + (r.gift?.diamonds ?? 0), 0);
    expect(fromEvents).toBe(fromTruth);
  });
});
