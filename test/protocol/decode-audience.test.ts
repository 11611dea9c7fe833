// S13-audience: five real rooms recorded together, chats and viewer counts only, against the
// per-room numbers in the captures README and meta.json.
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/collectors/protocol/decode.ts';
import type { DecodedFrame } from '../../src/collectors/protocol/types.ts';
import type { ChatEvent, ViewerCountEvent } from '../../src/domain/events.ts';
import { captureSuite, readCaptureJson, readFrames, type CaptureLine } from './captures.ts';
import { incompleteness } from './event-schema.ts';
import { viewersFromText } from './viewer-text.ts';

const suite = captureSuite('S13-audience');

interface RoomMeta {
  webRid: string;
  roomId: string;
  frames: number;
  chats: number;
  audience: number;
}

/** README: frames 10/4/39/85/73, chats 3/0/27/169/134, audience messages 7/4/13/33/10. */
const README_ROOMS = {
  '658383822680': { frames: 10, chats: 3, audience: 7 },
  '877527888749': { frames: 4, chats: 0, audience: 4 },
  '30825165932': { frames: 39, chats: 27, audience: 13 },
  '616273302951': { frames: 85, chats: 169, audience: 33 },
  '720889562552': { frames: 73, chats: 134, audience: 10 },
};

/** README: "in every room total is the exact number the text rounds". */
const VERIFIED_TOTALS = {
  '658383822680': { current: 2, currentText: '2' },
  '877527888749': { current: 5, currentText: '5' },
  '30825165932': { current: 1986, currentText: '1986' },
  '616273302951': { current: 10371, currentText: '1.0万' },
  '720889562552': { current: 77918, currentText: '7.8万' },
};

describe.skipIf(suite.missing)(suite.title, () => {
  let rooms: RoomMeta[];
  let decoded: Array<{ line: CaptureLine; frame: DecodedFrame }>;

  beforeAll(() => {
    rooms = readCaptureJson<{ rooms: RoomMeta[] }>('S13-audience', 'meta.json').rooms;
    const roomIds = new Map(rooms.map((room) => [room.webRid, room.roomId]));
    decoded = readFrames('S13-audience').map((line) => {
      const result = decodeFrame(line.bytes, { roomId: roomIds.get(line.room!)! });
      if (!result.ok) throw new Error(`line ${line.line}: ${result.error.code} ${result.error.reason}`);
      return { line, frame: result.value };
    });
  });

  const perRoom = (webRid: string) => decoded.filter(({ line }) => line.room === webRid);
  const chatsOf = (webRid: string) =>
    perRoom(webRid).flatMap(({ frame }) => frame.events.filter((event): event is ChatEvent => event.type === 'ChatEvent'));
  const countsOf = (webRid: string) =>
    perRoom(webRid).flatMap(({ frame }) => frame.events.filter((event): event is ViewerCountEvent => event.type === 'ViewerCountEvent'));

  it('decodes all 211 frames, each a msg frame that asks for an ack, with no message errors', () => {
    expect(decoded).toHaveLength(211);
    for (const { frame } of decoded) {
      expect(frame.frame.payloadType).toBe('msg');
      expect(frame.ack).not.toBeNull();
      expect(frame.errors).toEqual([]);
    }
  });

  it('holds 333 chats and 67 RoomUserSeq messages', () => {
    const methods = decoded.flatMap(({ frame }) => frame.methods);
    expect(methods.filter((method) => method === 'WebcastChatMessage')).toHaveLength(333);
    expect(methods.filter((method) => method === 'WebcastRoomUserSeqMessage')).toHaveLength(67);
    expect(methods).toHaveLength(400);
  });

  it.each(Object.entries(README_ROOMS))('room %s has the README frame, chat and audience counts', (webRid, expected) => {
    expect({ frames: perRoom(webRid).length, chats: chatsOf(webRid).length, audience: countsOf(webRid).length }).toEqual(expected);
  });

  it('agrees with the per-room numbers in meta.json', () => {
    for (const room of rooms) {
      expect({ frames: perRoom(room.webRid).length, chats: chatsOf(room.webRid).length, audience: countsOf(room.webRid).length }).toEqual({
        frames: room.frames,
        chats: room.chats,
        audience: room.audience,
      });
    }
  });

  it('keeps the re-pushed chats with the same id, so dedup by id leaves 163 and 132', () => {
    expect(new Set(chatsOf('616273302951').map((chat) => chat.id)).size).toBe(163);
    expect(new Set(chatsOf('720889562552').map((chat) => chat.id)).size).toBe(132);
  });

  it('gives every chat its content, its sender and its room', () => {
    for (const room of rooms) {
      for (const chat of chatsOf(room.webRid)) {
        expect(chat.content).not.toBe('');
        expect(chat.user?.id).toMatch(/^[0-9]+$/);
        expect(chat.user?.nickname).not.toBe('');
        expect(chat.roomId).toBe(room.roomId);
        expect(incompleteness(chat)).toBe('');
      }
    }
  });

  it('dates chats by event_time: seconds before the server sent them (none has create_time)', () => {
    for (const { frame } of decoded) {
      for (const chat of frame.events.filter((event) => event.type === 'ChatEvent')) {
        const age = frame.response!.now - chat.createdAt;
        expect(age).toBeGreaterThan(0);
        expect(age).toBeLessThanOrEqual(15_000);
      }
    }
  });

  it.each(Object.entries(VERIFIED_TOTALS))('room %s reports the verified exact total beside its text', (webRid, pair) => {
    const counts = countsOf(webRid).map((event) => ({ current: event.current, currentText: event.currentText }));
    expect(counts).toContainEqual(pair);
  });

  it('has every exact viewer count round to the text Douyin showed with it', () => {
    for (const room of rooms) {
      for (const event of countsOf(room.webRid)) {
        const shown = viewersFromText(event.currentText!);
        const tolerance = event.currentText!.endsWith('万') ? 500 : 0;
        expect(Math.abs(event.current - shown), `${event.current} vs ${event.currentText}`).toBeLessThanOrEqual(tolerance);
        expect(event.total).toBeGreaterThanOrEqual(event.current);
        expect(event.roomId).toBe(room.roomId);
        expect(incompleteness(event)).toBe('');
      }
    }
  });
});
