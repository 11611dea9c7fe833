// S13-vectors: 25 synthetic edge cases with the old 3.x client's output for each. Where the new
// decoder should behave as 3.x did, it is compared effect by effect; where it deliberately does
// better, the better behaviour is asserted instead (and 3.x's output is checked to be the one the
// vectors README describes, so the difference is real).
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import type { DecodeErrorCode, FrameResult } from '../../src/collectors/protocol/types.ts';
import type { ChatEvent, UpstreamEvent, ViewerCountEvent } from '../../src/domain/events.ts';
import { base64, captureSuite, readCaptureJson, readFrames, type CaptureLine } from './captures.ts';
import { incompleteness } from './event-schema.ts';

const suite = captureSuite('S13-vectors');

interface LegacyMessage {
  type: string;
  userName: string;
  userId: string;
  message: string;
  messageId: string;
  sentAt: number | null;
  data: { value: number } | null;
}

interface LegacyEffect {
  send?: string;
  message?: LegacyMessage;
  error?: string;
}

interface Vector {
  vector: string;
  args: { roomId: string };
  frames: Array<{ line: number; effects: LegacyEffect[] }>;
}

interface Case {
  vector: string;
  line: number;
  roomId: string;
  legacy: LegacyEffect[];
  result: FrameResult;
}

/** 3.x's view of a chat, computed from ours: a missing user was '' / '0', a missing id ''. */
function legacyView(chat: ChatEvent) {
  return {
    message: chat.content,
    userName: chat.user?.nickname ?? '',
    userId: chat.user?.id ?? '0',
    messageId: chat.id.startsWith('nomsgid:') ? '' : `douyin:${chat.id}`,
  };
}

const sends = (effects: LegacyEffect[]) => effects.flatMap((effect) => (effect.send === undefined ? [] : [effect.send]));
const legacyChats = (effects: LegacyEffect[]) =>
  effects.flatMap((effect) =>
    effect.message?.type === 'chat'
      ? [{ message: effect.message.message, userName: effect.message.userName, userId: effect.message.userId, messageId: effect.message.messageId }]
      : [],
  );
const legacyErrors = (effects: LegacyEffect[]) => effects.flatMap((effect) => (effect.error === undefined ? [] : [effect.error]));
const chatsOf = (events: UpstreamEvent[]) => events.filter((event): event is ChatEvent => event.type === 'ChatEvent');

/** Lines where the new decoder deliberately differs from 3.x; each has its own test below. */
const BETTER_THAN_LEGACY = new Set([10, 13, 33, 34, 35, 36]);

/** Frames 3.x rejected as a whole, and the code we give each. */
const FRAME_ERRORS: Record<number, DecodeErrorCode> = {
  4: 'BAD_GZIP', // payload_encoding GZIP on a plain payload
  6: 'BAD_GZIP', // payload_encoding gzip on a plain payload
  23: 'BAD_FRAME', // PushFrame cut short
  24: 'BAD_RESPONSE', // Response cut short
  25: 'BAD_RESPONSE',
  26: 'BAD_RESPONSE',
  27: 'BAD_FRAME',
  28: 'BAD_RESPONSE', // field number 0
  29: 'BAD_FRAME',
  30: 'EMPTY_FRAME', // 3.x ignored it silently
  31: 'BAD_GZIP', // truncated gzip stream
  32: 'BAD_GZIP', // not deflate data after the magic bytes
};

describe.skipIf(suite.missing)(suite.title, () => {
  let cases: Case[];
  const at = (line: number) => cases.find((entry) => entry.line === line)!;
  const value = (line: number) => {
    const result = at(line).result;
    if (!result.ok) throw new Error(`line ${line} failed: ${result.error.code} ${result.error.reason}`);
    return result.value;
  };

  beforeAll(() => {
    const lines = new Map<number, CaptureLine>(readFrames('S13-vectors').map((line) => [line.line, line]));
    const vectors = readCaptureJson<{ value: { vectors: Vector[] } }>('S13-vectors', 'expected.json').value.vectors;
    cases = vectors.flatMap((vector) =>
      vector.frames.map((frame) => {
        const line = lines.get(frame.line)!;
        expect(line.vector).toBe(vector.vector);
        return {
          vector: vector.vector,
          line: frame.line,
          roomId: vector.args.roomId,
          legacy: frame.effects,
          result: decodeFrame(line.bytes, { roomId: vector.args.roomId }),
        };
      }),
    );
  });

  it('covers the 25 vectors over 36 lines', () => {
    expect(new Set(cases.map((entry) => entry.vector)).size).toBe(25);
    expect(cases.map((entry) => entry.line)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
  });

  it('sends an ack byte-identical to 3.x wherever 3.x sent one, and none where it did not', () => {
    // Line 10 is the one exception: see "acks when need_ack has only high bits set" below.
    for (const entry of cases.filter((c) => c.line !== 10)) {
      const ack = entry.result.ok ? entry.result.value.ack : null;
      expect(ack === null ? [] : [base64(ack)], `line ${entry.line} (${entry.vector})`).toEqual(sends(entry.legacy));
    }
  });

  it('decodes the same chats as 3.x, in order, where it behaves as 3.x', () => {
    for (const entry of cases.filter((c) => !BETTER_THAN_LEGACY.has(c.line) && c.result.ok)) {
      const ours = chatsOf(entry.result.ok ? entry.result.value.events : []).map(legacyView);
      expect(ours, `line ${entry.line} (${entry.vector})`).toEqual(legacyChats(entry.legacy));
    }
  });

  it('turns every frame 3.x rejected into a typed DecodeError instead of throwing', () => {
    for (const [line, code] of Object.entries(FRAME_ERRORS)) {
      const entry = at(Number(line));
      expect(entry.result, `line ${line} (${entry.vector})`).toMatchObject({ ok: false, error: { code } });
      if (!entry.result.ok) expect(entry.result.error.reason.length).toBeGreaterThan(0);
      // 3.x threw here, except on the empty frame, which it skipped without a word.
      expect(legacyErrors(entry.legacy).length).toBe(Number(line) === 30 ? 0 : 1);
    }
    const rejected = cases.filter((entry) => !entry.result.ok).map((entry) => entry.line);
    expect(rejected).toEqual(Object.keys(FRAME_ERRORS).map(Number));
  });

  it('reads gzip by the magic bytes, with payload_encoding in any case, and a plain payload as plain', () => {
    for (const line of [1, 2, 3, 5]) expect(chatsOf(value(line).events)[0]?.content, `line ${line}`).toBe('第一条');
    expect(value(1).frame.headers.compress_type).toBe('gzip'); // the header alone does not make it gzip
  });

  it('answers a server heartbeat with nothing', () => {
    for (const line of [21, 22]) {
      expect(value(line)).toMatchObject({ frame: { payloadType: 'hb' }, response: null, ack: null, events: [], errors: [] });
    }
  });

  it('acks log_id 0 and an empty internal_ext with both fields written, as 3.x did', () => {
    expect(base64(value(8).ack!)).toBe('EAA6A2Fja0IA');
  });

  it('dates chats by create_time in s or ms, else by event_time', () => {
    const chats = chatsOf(value(12).events);
    expect(chats.map((chat) => [chat.content, chat.createdAt])).toEqual([
      ['毫秒', 1790519968123],
      ['秒', 1790519968000],
      ['零', 1790519968000], // 3.x: no time; ours: event_time
      ['只有 eventTime', 1790519968000],
      ['1e11 整', 100000000000000], // 1e11 exactly counts as seconds, as in 3.x
    ]);
    const legacy = at(12).legacy.flatMap((effect) => (effect.message ? [effect.message.sentAt] : []));
    expect(legacy).toEqual([1790519968123, 1790519968000, null, null, 100000000000000]);
  });

  it('drops a chat for another room as WRONG_ROOM and keeps room 0 and Common-less chats', () => {
    const frame = value(14);
    expect(chatsOf(frame.events).map((chat) => [chat.content, chat.roomId])).toEqual([
      ['this room', '7690000000000000001'],
      ['room 0', '7690000000000000001'],
      ['no common', '7690000000000000001'],
    ]);
    expect(frame.errors).toEqual([
      expect.objectContaining({ code: 'WRONG_ROOM', method: 'WebcastChatMessage', msgId: '7690224691106976802' }),
    ]);
  });

  it('passes other methods on as events instead of ignoring them as 3.x did', () => {
    const frame = value(20);
    expect(frame.events.map((event) => [event.type, event.method])).toEqual([
      ['MemberJoinedEvent', 'WebcastMemberMessage'],
      ['GiftEvent', 'WebcastGiftMessage'],
      ['LikeEvent', 'WebcastLikeMessage'],
      ['UnknownEvent', 'WebcastSocialMessage'], // action 0: neither follow nor share
      ['UnknownEvent', 'webcastchatmessage'], // method names are case-sensitive
    ]);
    expect(frame.events[1]).toMatchObject({ gift: { id: '1' }, repeatCount: 1, phase: 'STARTED' });
    expect(frame.events[2]).toMatchObject({ count: 3 });
  });

  it('reports every RoomUserSeq with its exact total beside the text 3.x parsed its number from', () => {
    const counts = value(19).events.filter((event): event is ViewerCountEvent => event.type === 'ViewerCountEvent');
    // 3.x read only the rounded text, and emitted nothing when it had none to read.
    const legacy = at(19).legacy.flatMap((effect) => (effect.message?.type === 'online' ? [effect.message.data!.value] : []));
    expect(legacy).toEqual([306000, 1234, 12000, 2000, 0]);
    expect(counts).toHaveLength(8);
    expect(counts.map((event) => event.currentText)).toEqual(['30.6万', '1,234', '1.2w', '2000+', '暂无', null, null, '0']);
    expect(counts.map((event) => event.current)).toEqual([305503, 305503, 305503, 305503, 305503, 305503, 42, 305503]);
  });

  it('maps a chat with a full user: every User field set', () => {
    const [chat] = chatsOf(value(16).events);
    expect(chat!.user).toMatchObject({
      id: '29022464958',
      shortId: '123456',
      nickname: '观众3',
      displayId: 'synthetic_display',
      secUid: 'MS4wLjABAAAAsynthetic',
      followerCount: 10,
      avatar: { urls: ['https://p3.douyinpic.com/aweme/100x100/synthetic.jpeg'], uri: 'synthetic' },
    });
    expect(chat!.createdAt).toBe(1790519968000);
  });

  it('produces only complete events', () => {
    for (const entry of cases) {
      if (!entry.result.ok) continue;
      for (const event of entry.result.value.events) expect(incompleteness(event), `line ${entry.line} ${event.method}`).toBe('');
    }
  });

  describe('where the new decoder deliberately differs from 3.x', () => {
    it('acks when need_ack has only high bits set: a bool is any non-zero varint (3.x read 32 bits)', () => {
      expect(sends(at(10).legacy)).toEqual([]);
      expect(base64(value(10).ack!)).toBe(sends(at(11).legacy)[0]);
      expect(chatsOf(value(10).events).map(legacyView)).toEqual(legacyChats(at(10).legacy));
    });

    it('keeps an envelope msg_id above 2^63 as its unsigned value (3.x printed it signed)', () => {
      const chats = chatsOf(value(13).events).map(legacyView);
      const legacy = legacyChats(at(13).legacy);
      expect(chats.slice(0, 4)).toEqual(legacy.slice(0, 4)); // common id, envelope id, no id, no common
      expect(legacy[4]!.messageId).toBe('douyin:-5');
      expect(chats[4]).toEqual({ ...legacy[4], messageId: 'douyin:18446744073709551611' });
    });

    it('still decodes the messages after a malformed chat (3.x gave up on the frame)', () => {
      expect(legacyErrors(at(33).legacy)).toEqual(['InvalidProtocolBufferException']);
      const frame = value(33);
      expect(base64(frame.ack!)).toBe(sends(at(33).legacy)[0]);
      expect(frame.errors).toEqual([expect.objectContaining({ code: 'BAD_MESSAGE', method: 'WebcastChatMessage' })]);
      expect(frame.events.map((event) => event.type)).toEqual(['ChatEvent', 'ViewerCountEvent']);
      expect(chatsOf(frame.events)[0]!.content).toBe('after the bad one');
      expect(frame.methods).toHaveLength(3);
    });

    it('still decodes the chat after a malformed RoomUserSeq', () => {
      expect(legacyErrors(at(34).legacy)).toEqual(['InvalidProtocolBufferException']);
      const frame = value(34);
      expect(frame.errors).toEqual([expect.objectContaining({ code: 'BAD_MESSAGE', method: 'WebcastRoomUserSeqMessage' })]);
      expect(chatsOf(frame.events).map((chat) => chat.content)).toEqual(['after the bad one']);
    });

    it('dates a chat with an out-of-range create_time by its event_time (3.x threw RangeError)', () => {
      expect(legacyErrors(at(35).legacy)).toEqual(['RangeError']);
      const chats = chatsOf(value(35).events);
      expect(chats.map((chat) => [chat.content, chat.createdAt])).toEqual([
        ['far future', 1790519968000],
        ['after it', 1790519968000],
      ]);
      expect(base64(value(35).ack!)).toBe(sends(at(35).legacy)[0]);
    });

    it('keeps room, message and user ids above 2^63 exactly (3.x dropped the chat)', () => {
      expect(at(36).roomId).toBe('9300000000000000001');
      expect(legacyChats(at(36).legacy)).toEqual([]);
      const frame = value(36);
      expect(frame.errors).toEqual([]);
      expect(chatsOf(frame.events).map((chat) => ({ id: chat.id, roomId: chat.roomId, user: chat.user?.id, content: chat.content }))).toEqual([
        { id: '9300000000000000002', roomId: '9300000000000000001', user: '18446744073709551615', content: 'room id past 2^63' },
      ]);
      expect(base64(frame.ack!)).toBe(sends(at(36).legacy)[0]);
    });
  });
});
