// Our own frames for tests, built with protobufjs from plain objects (protobufjs field names).
import { gzipSync } from 'node:zlib';
import { payloadTypes, PushFrameType, ResponseType, type PayloadTypeName } from '../../src/collectors/protocol/proto.ts';

export const ROOM = '7690183442860198697';
export const NOW = 1790519971068;

export interface MessageSpec {
  method: string;
  payload: Uint8Array;
  msgId?: string | number;
}

/** A message of a known type: method "Webcast" + type name, payload encoded from `fields`. */
export function message(typeName: PayloadTypeName, fields: Record<string, unknown>, msgId: string | number = 0): MessageSpec {
  const type = payloadTypes[typeName];
  return { method: `Webcast${typeName}`, payload: type.encode(type.fromObject(fields)).finish(), msgId };
}

export interface ResponseSpec {
  messages?: MessageSpec[];
  needAck?: boolean;
  internalExt?: string;
  now?: number | string;
  cursor?: string;
  heartbeatDuration?: number;
  pushServer?: string;
}

export function responseBytes(spec: ResponseSpec = {}): Uint8Array {
  return ResponseType.encode(
    ResponseType.fromObject({
      messages: spec.messages ?? [],
      cursor: spec.cursor ?? 't-1790519971068_r-1_d-1_u-1',
      now: spec.now ?? NOW,
      internalExt: spec.internalExt ?? 'internal_src:pushserver|wss_msg_type:r',
      heartbeatDuration: spec.heartbeatDuration ?? 15,
      needAck: spec.needAck ?? true,
      pushServer: spec.pushServer ?? '',
    }),
  ).finish();
}

export interface FrameSpec {
  logId?: string;
  payloadType?: string;
  payloadEncoding?: string;
  headers?: Record<string, string>;
  /** gzip the payload (the default, as Douyin does). */
  gzip?: boolean;
  payload?: Uint8Array;
}

export function frameBytes(response: ResponseSpec | Uint8Array, spec: FrameSpec = {}): Uint8Array {
  const plain = response instanceof Uint8Array ? response : responseBytes(response);
  const payload = spec.payload ?? (spec.gzip === false ? plain : gzipSync(plain));
  return PushFrameType.encode(
    PushFrameType.fromObject({
      seqId: 1,
      logId: spec.logId ?? '4901453207607389421',
      service: 8888,
      method: 8,
      headers: Object.entries(spec.headers ?? { compress_type: 'gzip' }).map(([key, value]) => ({ key, value })),
      payloadEncoding: spec.payloadEncoding ?? 'pb',
      payloadType: spec.payloadType ?? 'msg',
      payload,
    }),
  ).finish();
}

export function common(msgId: string | number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { method: 'x', msgId, roomId: ROOM, ...extra };
}

function image(name: string): Record<string, unknown> {
  return { urlList: [`https://p3.douyinpic.com/${name}.jpeg`, ''], uri: `uri/${name}`, width: 100, height: 0 };
}

/** A user with every field the mapper reads, as a Douyin web client receives one. */
export function richUser(id: string): Record<string, unknown> {
  return {
    id,
    shortId: 123456,
    nickname: '观众3',
    gender: 2,
    signature: '签名',
    avatarThumb: image('thumb'),
    avatarLarge: image('large'),
    verified: true,
    followInfo: { followingCount: 12, followerCount: 3400 },
    payGrade: { level: 12, name: '12级', gradeDescribe: '距离13级还差35抖币', thisGradeMinDiamond: 1000, thisGradeMaxDiamond: 2000 },
    fansClub: { data: { clubName: '木森团', level: 8, anchorId: '98765432101' } },
    displayId: 'synthetic_display',
    secUid: 'MS4wLjABAAAAsynthetic',
    webRid: '148108118778',
  };
}
