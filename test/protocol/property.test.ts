// decodeFrame on hostile input: random bytes, and truncated or bit-flipped real frames (the S13
// recordings when present, our own rich frames always). It must never throw, and whatever it
// returns must be whole: complete events, typed errors, every message accounted for.
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import { PushFrameType } from '../../src/collectors/protocol/proto.ts';
import type { DecodeError, DecodeErrorCode, FrameResult } from '../../src/collectors/protocol/types.ts';
import { captureSuite, readFrames } from './captures.ts';
import { incompleteness } from './event-schema.ts';
import { common, frameBytes, message, richUser, ROOM, type MessageSpec } from './fixtures.ts';

const CODES: DecodeErrorCode[] = ['EMPTY_FRAME', 'BAD_FRAME', 'BAD_GZIP', 'BAD_RESPONSE', 'BAD_MESSAGE', 'WRONG_ROOM'];
const DECIMAL = /^[0-9]+$/;
const RUNS = 400;

/** Rich messages of every modelled kind, so mutations reach every mapper. */
const RICH_MESSAGES: MessageSpec[] = [
  message('ChatMessage', { common: common(1, { createTime: 1790519969 }), user: richUser('11'), content: '弹幕', eventTime: 1790519968 }, 101),
  message('EmojiChatMessage', { common: common(2), user: richUser('12'), emojiId: 3, emojiContent: { pieces: [{ imageValue: { image: { urlList: ['https://e/1.png'] } } }] } }, 102),
  message('GiftMessage', { common: common(3), user: richUser('13'), toUser: richUser('14'), repeatCount: 3, groupCount: 10, groupId: 7, gift: { id: 463, name: '小心心', diamondCount: 1, combo: true, image: { urlList: ['https://g/1.png'] } } }, 103),
  message('LikeMessage', { common: common(4), user: richUser('15'), count: 3, total: 100 }, 104),
  message('MemberMessage', { common: common(5), user: richUser('16'), memberCount: 305503 }, 105),
  message('SocialMessage', { common: common(6), user: richUser('17'), action: 3, shareTarget: '112' }, 106),
  message('ControlMessage', { common: common(7), action: 3, tips: '直播已结束' }, 107),
  message('RoomUserSeqMessage', { common: common(8), ranks: [{ rank: 1, score: 9, user: richUser('18') }], total: 305503, totalUser: 7227121, onlineUserForAnchor: '30.6万' }, 108),
  message('RoomStatsMessage', { common: common(9), displayType: 1, displayValue: 91, displayShort: '91' }, 109),
  message('FansclubMessage', { common: common(10), action: 1, content: '升级', user: richUser('19') }, 110),
  message('RoomRankMessage', { common: common(11), ranks: [{ user: richUser('20'), scoreStr: '1万' }] }, 111),
  message('RoomMessage', { common: common(12), content: '公告' }, 112),
  message('RoomIntroMessage', { common: common(13), user: richUser('21'), intro: '简介', label: ['a'] }, 113),
  message('ProductChangeMessage', { common: common(14), updateProductInfo: [{ promotionId: 5 }], total: 3 }, 114),
  message('LiveShoppingMessage', { common: common(15), promotionId: 6, updatedProductIds: [7, 8], soldOut: true }, 115),
  message('LiveEcomMessage', { common: common(16), purchaseCnt: 2, text: '购买', metaId: 9 }, 116),
  { method: 'WebcastGiftIconFlashMessage', payload: Uint8Array.of(1, 2, 3), msgId: 117 },
];

const richFrame = frameBytes({ messages: RICH_MESSAGES });
const richPlainFrame = frameBytes({ messages: RICH_MESSAGES }, { gzip: false });

const live = captureSuite('S13-live');
const audience = captureSuite('S13-audience');
const captured: Uint8Array[] = [
  ...(live.missing ? [] : readFrames('S13-live')),
  ...(audience.missing ? [] : readFrames('S13-audience')),
]
  .filter((line) => line.dir === 'in')
  .map((line) => line.bytes);

/** Real frames re-wrapped with their Response inflated, so bit flips land in protobuf, not in a gzip CRC. */
const capturedPlain = captured.flatMap((bytes) => {
  const frame = PushFrameType.decode(bytes) as unknown as { payloadType: string; payload: Uint8Array };
  return frame.payloadType === 'msg' ? [frameBytes(gunzipSync(frame.payload), { gzip: false })] : [];
});

const seeds = [richFrame, richPlainFrame, ...captured, ...capturedPlain];

function isDecodeError(error: DecodeError): boolean {
  return CODES.includes(error.code) && typeof error.reason === 'string' && error.reason.length > 0;
}

/** Everything decodeFrame promises about its result, whatever the input. */
function expectWhole(result: FrameResult): void {
  if (!result.ok) {
    expect(isDecodeError(result.error), JSON.stringify(result.error)).toBe(true);
    return;
  }
  const { frame, response, ack, events, errors, methods } = result.value;
  expect(frame.seqId).toMatch(DECIMAL);
  expect(frame.logId).toMatch(DECIMAL);
  expect(typeof frame.payloadType).toBe('string');
  expect(ack === null || ack instanceof Uint8Array).toBe(true);
  for (const error of errors) expect(isDecodeError(error), JSON.stringify(error)).toBe(true);
  for (const event of events) expect(incompleteness(event), `${event.method}: ${JSON.stringify(event)}`).toBe('');
  if (response === null) {
    expect([events, errors, methods, ack]).toEqual([[], [], [], null]);
  } else {
    // Every message is either an event or an error: nothing vanishes.
    expect(events.length + errors.length).toBe(methods.length);
    expect(response.messageCount).toBe(methods.length);
    expect(ack !== null).toBe(response.needAck);
  }
}

const decodeSafely = (bytes: Uint8Array): FrameResult => {
  let result: FrameResult | undefined;
  expect(() => {
    result = decodeFrame(bytes, { roomId: ROOM });
  }).not.toThrow();
  return result!;
};

const seed = fc.constantFrom(...seeds);

function flipBits(bytes: Uint8Array, positions: number[]): Uint8Array {
  const copy = Uint8Array.from(bytes);
  for (const position of positions) copy[(position >>> 3) % copy.length]! ^= 1 << (position & 7);
  return copy;
}

describe('decodeFrame under fuzzing', () => {
  it('has real frames to start from', () => {
    // Our rich frame decodes cleanly, so mutations of it start from a frame full of events.
    const result = decodeFrame(richFrame, { roomId: ROOM });
    expect(result.ok && result.value.events.length).toBe(RICH_MESSAGES.length);
    expect(result.ok && result.value.errors).toEqual([]);
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => expectWhole(decodeSafely(bytes))),
      { numRuns: RUNS },
    );
  });

  it('never throws on truncated frames', () => {
    fc.assert(
      fc.property(seed, fc.nat(), (bytes, cut) => expectWhole(decodeSafely(bytes.subarray(0, cut % (bytes.length + 1))))),
      { numRuns: RUNS },
    );
  });

  it('never throws on frames with flipped bits', () => {
    fc.assert(
      fc.property(seed, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (bytes, positions) => expectWhole(decodeSafely(flipBits(bytes, positions)))),
      { numRuns: RUNS },
    );
  });

  it('never throws when single messages are corrupted inside a valid frame', () => {
    const corrupted = fc
      .tuple(fc.constantFrom(...RICH_MESSAGES), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.nat())
      .map(([spec, positions, cut]) => {
        const flipped = spec.payload.length === 0 ? spec.payload : flipBits(spec.payload, positions);
        return { ...spec, payload: flipped.subarray(0, flipped.length - (cut % 3)) };
      });
    fc.assert(
      fc.property(fc.array(corrupted, { minLength: 1, maxLength: 6 }), (messages) => {
        const result = decodeSafely(frameBytes({ messages }));
        expectWhole(result);
        expect(result.ok).toBe(true); // the frame itself is intact, so only messages may fail
      }),
      { numRuns: RUNS },
    );
  });
});
