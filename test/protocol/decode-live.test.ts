// S13-live: 30 s of one real push session (both directions) against the numbers its README and
// expected.json (the 3.x client's output) give.
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import { HEARTBEAT_FRAME } from '../../src/collectors/protocol/frames.ts';
import { createDecodeStats } from '../../src/collectors/protocol/stats.ts';
import type { DecodedFrame, DecodeStats } from '../../src/collectors/protocol/types.ts';
import type { ChatEvent, UpstreamEvent, ViewerCountEvent } from '../../src/domain/events.ts';
import { base64, captureSuite, rawPayloadType, readCaptureJson, readFrames, type CaptureLine } from './captures.ts';
import { incompleteness } from './event-schema.ts';
import { viewersFromText } from './viewer-text.ts';

const suite = captureSuite('S13-live');

interface Effect {
  send?: string;
  message?: { type: string; userName: string; userId: string; message: string; messageId: string; data: { value: number } | null };
}

describe.skipIf(suite.missing)(suite.title, () => {
  let lines: CaptureLine[];
  let roomId: string;
  let decoded: Array<{ line: CaptureLine; frame: DecodedFrame }>;
  let events: UpstreamEvent[];
  let stats: DecodeStats;
  let expectedEffects: Array<{ line: number; effects: Effect[] }>;

  beforeAll(() => {
    lines = readFrames('S13-live');
    roomId = readCaptureJson<{ danmakuKeys: { roomId: string } }>('S13-live', 'meta.json').danmakuKeys.roomId;
    expectedEffects = readCaptureJson<{ value: { frames: typeof expectedEffects } }>('S13-live', 'expected.json').value.frames;
    stats = createDecodeStats();
    decoded = lines
      .filter((line) => line.dir === 'in')
      .map((line) => {
        const result = decodeFrame(line.bytes, { roomId, stats });
        if (!result.ok) throw new Error(`line ${line.line}: ${result.error.code} ${result.error.reason}`);
        return { line, frame: result.value };
      });
    events = decoded.flatMap(({ frame }) => frame.events);
  });

  it('decodes every server frame: 81 in = 78 msg + 3 hb, as the README counts', () => {
    expect(decoded).toHaveLength(81);
    const types = count(decoded.map(({ frame }) => frame.frame.payloadType));
    expect(types).toEqual({ msg: 78, hb: 3 });
    // The decoder reads field 7 as plain protobufjs does.
    for (const { line, frame } of decoded) expect(frame.frame.payloadType).toBe(rawPayloadType(line.bytes));
  });

  it('finds the README message method counts across the 78 msg frames', () => {
    const methods = count(decoded.flatMap(({ frame }) => frame.methods));
    expect(methods).toMatchObject({
      WebcastChatMessage: 215,
      WebcastMemberMessage: 128,
      WebcastInRoomBannerMessage: 97,
      WebcastFansclubMessage: 37,
      WebcastRoomDataSyncMessage: 34,
      WebcastSocialMessage: 34,
      WebcastRanklistHourEntranceMessage: 32,
      WebcastGiftSortMessage: 32,
      WebcastRoomStatsMessage: 27,
      WebcastRoomUserSeqMessage: 16,
      WebcastLikeMessage: 11,
    });
    const named = new Set(['WebcastChatMessage', 'WebcastMemberMessage', 'WebcastInRoomBannerMessage', 'WebcastFansclubMessage',
      'WebcastRoomDataSyncMessage', 'WebcastSocialMessage', 'WebcastRanklistHourEntranceMessage', 'WebcastGiftSortMessage',
      'WebcastRoomStatsMessage', 'WebcastRoomUserSeqMessage', 'WebcastLikeMessage']);
    const others = Object.entries(methods).filter(([method]) => !named.has(method));
    expect(others.length).toBeGreaterThan(0);
    for (const [method, seen] of others) {
      expect(seen, method).toBeGreaterThanOrEqual(1);
      expect(seen, method).toBeLessThanOrEqual(6);
    }
  });

  it('turns every message into an event or an error: nothing is dropped, nothing fails', () => {
    expect(decoded.flatMap(({ frame }) => frame.errors)).toEqual([]);
    expect(events).toHaveLength(decoded.reduce((sum, { frame }) => sum + frame.methods.length, 0));
    for (const { frame } of decoded) expect(frame.events.map((event) => event.method)).toEqual(frame.methods);
  });

  it('answers server heartbeats with nothing', () => {
    const heartbeats = decoded.filter(({ frame }) => frame.frame.payloadType === 'hb');
    expect(heartbeats).toHaveLength(3);
    for (const { frame } of heartbeats) {
      expect(frame).toMatchObject({ response: null, ack: null, events: [], errors: [], methods: [] });
      expect(frame.frame.headers.server_time).toMatch(/^\d{13}$/);
    }
  });

  it('builds every ack byte-identical to the ack the recorded client sent next', () => {
    const acked = decoded.filter(({ frame }) => frame.ack !== null);
    expect(acked).toHaveLength(78);
    for (const { line, frame } of acked) {
      const next = lines[line.line]!; // line numbers are 1-based, so this is the following line
      expect(next.dir, `line ${line.line + 1}`).toBe('out');
      expect(base64(frame.ack!), `ack after line ${line.line}`).toBe(base64(next.bytes));
    }
    const recordedAcks = lines.filter((line) => line.dir === 'out' && rawPayloadType(line.bytes) === 'ack');
    expect(recordedAcks).toHaveLength(78);
  });

  it('acks with the Response internal_ext, which is not always the im-internal_ext header', () => {
    const differing = decoded.filter(
      ({ frame }) => frame.response !== null && frame.frame.headers['im-internal_ext'] !== frame.response.internalExt,
    );
    // Were the header preferred, these acks would not match the recording.
    expect(differing.length).toBeGreaterThan(0);
    for (const { frame } of differing) expect(Buffer.from(frame.ack!).toString('latin1')).toContain(frame.response!.internalExt);
  });

  it('sends the same acks as the 3.x client, frame by frame', () => {
    const ours = decoded.filter(({ frame }) => frame.ack !== null).map(({ line, frame }) => ({ line: line.line, send: base64(frame.ack!) }));
    const theirs = expectedEffects.flatMap(({ line, effects }) => effects.filter((effect) => effect.send).map((effect) => ({ line, send: effect.send })));
    expect(ours).toEqual(theirs);
  });

  it('has the recorded client heartbeat equal to HEARTBEAT_FRAME', () => {
    const heartbeats = lines.filter((line) => line.dir === 'out' && rawPayloadType(line.bytes) === 'hb');
    expect(heartbeats).toHaveLength(4);
    for (const line of heartbeats) expect(base64(line.bytes)).toBe(base64(HEARTBEAT_FRAME));
  });

  it('makes every chat a ChatEvent with the content, sender and id 3.x decoded, in order', () => {
    const chats = events.filter((event): event is ChatEvent => event.type === 'ChatEvent');
    const expected = expectedEffects.flatMap(({ effects }) =>
      effects.flatMap((effect) => (effect.message?.type === 'chat' ? [effect.message] : [])),
    );
    expect(chats).toHaveLength(215);
    expect(
      chats.map((chat) => ({ content: chat.content, userName: chat.user?.nickname, userId: chat.user?.id, messageId: `douyin:${chat.id}` })),
    ).toEqual(expected.map(({ message, userName, userId, messageId }) => ({ content: message, userName, userId, messageId })));
    for (const chat of chats) expect(chat.roomId).toBe(roomId);
  });

  it('dates chats by their event_time, seconds before the server sent them', () => {
    for (const { frame } of decoded) {
      for (const chat of frame.events.filter((event) => event.type === 'ChatEvent')) {
        const age = frame.response!.now - chat.createdAt;
        expect(age).toBeGreaterThanOrEqual(0);
        expect(age).toBeLessThanOrEqual(15_000);
      }
    }
  });

  it('gives 16 exact viewer counts that round to the online texts 3.x reported', () => {
    const counts = events.filter((event): event is ViewerCountEvent => event.type === 'ViewerCountEvent');
    const online = expectedEffects.flatMap(({ effects }) =>
      effects.flatMap((effect) => (effect.message?.type === 'online' ? [effect.message.data!.value] : [])),
    );
    expect(counts).toHaveLength(16);
    expect(counts.map((event) => viewersFromText(event.currentText!))).toEqual(online);
    for (const event of counts) {
      expect(Math.abs(event.current - viewersFromText(event.currentText!))).toBeLessThanOrEqual(500);
      expect(event.total).toBeGreaterThan(7_000_000);
      expect(event.totalText).toMatch(/^72\d\.\d万$/);
    }
    // Fact sheet §5.12: total 305503 is the exact number behind "30.6万".
    expect(counts[0]).toMatchObject({ current: 305503, currentText: '30.6万', total: 7227121, totalText: '722.7万' });
  });

  it('produces only complete events', () => {
    for (const event of events) expect(incompleteness(event), `${event.method} ${event.id}`).toBe('');
  });

  it('counts frames, messages and unknown methods in DecodeStats', () => {
    expect(stats.frames).toBe(81);
    expect(stats.messages).toBe(688);
    expect(stats.events).toBe(688);
    expect(Object.values(stats.errors).every((n) => n === 0)).toBe(true);
    // Every method of the recording is typed now; only Social messages whose payload the
    // recording dropped (action 0: neither follow nor share) still pass on as UnknownEvent.
    expect(stats.unknownMethods.size).toBe(0);
    const unknown = events.filter((event) => event.type === 'UnknownEvent');
    expect(unknown.map((event) => event.method)).toEqual(Array(34).fill('WebcastSocialMessage'));
  });

  it('types the methods the recording carries by meaning, as the README counts them', () => {
    const byType = count(events.map((event) => event.type));
    expect(byType).toMatchObject({
      BannerEvent: 97,
      RoomSyncEvent: 34,
      HourlyRankEvent: 32,
      GiftPanelEvent: 32,
      HotChatEvent: 6,
      StreamLayoutEvent: 5,
      HotRoomEvent: 3,
      GuestPolicyEvent: 2,
      ChatLikeEvent: 2,
      RedEnvelopeEvent: 2,
      AudienceGuideEvent: 1,
    });
    // The scrubbed payloads are empty: each event is its method's, with the frame's id and time.
    for (const event of events.filter((candidate) => candidate.type === 'BannerEvent')) {
      expect(event).toMatchObject({ method: 'WebcastInRoomBannerMessage', roomId, url: null, data: null });
    }
  });

  it('refuses every message that names another room when decoding for the wrong room', () => {
    const wrong = decoded.map(({ line }) => decodeFrame(line.bytes, { roomId: '7690000000000000001' }));
    const errors = wrong.flatMap((result) => (result.ok ? result.value.errors : []));
    // Chats and RoomUserSeq carry Common.room_id; the scrubbed (empty) payloads carry nothing to check.
    expect(errors).toHaveLength(215 + 16);
    expect(new Set(errors.map((error) => error.code))).toEqual(new Set(['WRONG_ROOM']));
    expect(errors[0]!.reason).toContain(roomId);
  });
});

function count(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
