// Decoding for the simulator's tests, written independently of the simulator's encoder: a
// protobufjs root over proto/webcast.proto with protobufjs' default camelCase names.
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const root = new protobuf.Root().loadSync(fileURLToPath(new URL('../../../proto/webcast.proto', import.meta.url)));

export const TYPE_BY_METHOD: Record<string, string> = {
  WebcastChatMessage: 'ChatMessage',
  WebcastEmojiChatMessage: 'EmojiChatMessage',
  WebcastGiftMessage: 'GiftMessage',
  WebcastLikeMessage: 'LikeMessage',
  WebcastMemberMessage: 'MemberMessage',
  WebcastSocialMessage: 'SocialMessage',
  WebcastRoomUserSeqMessage: 'RoomUserSeqMessage',
  WebcastRoomStatsMessage: 'RoomStatsMessage',
  WebcastFansclubMessage: 'FansclubMessage',
  WebcastRoomRankMessage: 'RoomRankMessage',
  WebcastProductChangeMessage: 'ProductChangeMessage',
  WebcastLiveShoppingMessage: 'LiveShoppingMessage',
  WebcastLiveEcomMessage: 'LiveEcomMessage',
  WebcastRoomIntroMessage: 'RoomIntroMessage',
  WebcastRoomMessage: 'RoomMessage',
  WebcastControlMessage: 'ControlMessage',
};

type Plain = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function toPlain(typeName: string, bytes: Uint8Array): Plain {
  const type = root.lookupType(`webcast.${typeName}`);
  return type.toObject(type.decode(bytes), { longs: String, defaults: true, bytes: Array }) as Plain;
}

export interface DecodedMessage {
  method: string;
  msgId: string;
  payload: Uint8Array;
}

export interface DecodedServerFrame {
  seqId: string;
  logId: string;
  payloadType: string;
  payloadEncoding: string;
  headers: Record<string, string>;
  payload: Uint8Array;
  /** Present for msg frames. */
  response: Plain | null;
  messages: DecodedMessage[];
}

export function decodeServerFrame(bytes: Uint8Array): DecodedServerFrame {
  const type = root.lookupType('webcast.PushFrame');
  const frame = type.toObject(type.decode(bytes), { longs: String, defaults: true }) as Plain;
  const headers: Record<string, string> = {};
  for (const header of frame.headers as { key: string; value: string }[]) headers[header.key] = header.value;
  const payload = new Uint8Array(frame.payload as Uint8Array);
  let response: Plain | null = null;
  let messages: DecodedMessage[] = [];
  if (frame.payloadType === 'msg') {
    const responseType = root.lookupType('webcast.Response');
    const decoded = responseType.decode(gunzipSync(payload));
    response = responseType.toObject(decoded, { longs: String, defaults: true }) as Plain;
    messages = (response.messages as Plain[]).map((m) => ({ method: m.method, msgId: m.msgId, payload: new Uint8Array(m.payload) }));
  }
  return { seqId: frame.seqId, logId: frame.logId, payloadType: frame.payloadType, payloadEncoding: frame.payloadEncoding, headers, payload, response, messages };
}

/** The typed body of a message whose method the proto file declares. */
export function decodePayload(message: DecodedMessage): Plain {
  const typeName = TYPE_BY_METHOD[message.method];
  if (!typeName) throw new Error(`no type for ${message.method}`);
  return toPlain(typeName, message.payload);
}

/** The Common (field 1) of any message, including methods the proto file does not declare. */
export function decodeCommon(message: DecodedMessage): Plain {
  const reader = protobuf.Reader.create(message.payload);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 10) return toPlain('Common', reader.bytes());
    reader.skipType(tag & 7);
  }
  throw new Error(`${message.method} has no Common`);
}

export function encodeClientFrame(fields: { logId?: string; payloadType: string; payload?: Uint8Array }): Uint8Array {
  const type = root.lookupType('webcast.PushFrame');
  return type.encode(type.fromObject({ logId: fields.logId ?? '0', payloadType: fields.payloadType, payload: fields.payload ?? new Uint8Array(0) })).finish();
}

export function ackFrame(logId: string, internalExt: string): Uint8Array {
  return encodeClientFrame({ logId, payloadType: 'ack', payload: Buffer.from(internalExt, 'utf8') });
}
