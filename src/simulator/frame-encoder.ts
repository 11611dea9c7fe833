// Builds the bytes Douyin's push server sends (protocol §4): Message envelopes, the Response
// batch, gzip, and the PushFrame around it with Douyin's headers; plus deliberately broken
// frames for fault injection.
import { gzipSync } from 'node:zlib';
import { encodeProto, newWriter, protoType } from './proto.ts';

export const PUSH_SERVICE = 8888;
export const PUSH_METHOD = 8;
export const HEARTBEAT_SECONDS = 15;

export function encodeEnvelope(method: string, payload: Uint8Array, msgId: string): Uint8Array {
  return encodeProto('Message', { method, payload, msg_id: msgId });
}

export interface ResponseFields {
  cursor: string;
  nowMs: number;
  internalExt: string;
  needAck: boolean;
  heartbeatDuration?: number;
  fetchInterval?: number;
  pushServer?: string;
  liveCursor?: string;
}

/**
 * A Response carrying already-encoded envelopes. Repeated fields may be written as separate
 * records, so the envelopes are copied in as they are instead of being encoded again for
 * every connection.
 */
export function encodeResponse(envelopes: readonly Uint8Array[], fields: ResponseFields): Uint8Array {
  const writer = newWriter();
  for (const envelope of envelopes) writer.uint32(10).bytes(envelope);
  const type = protoType('Response');
  const rest = type.fromObject({
    cursor: fields.cursor,
    now: String(fields.nowMs),
    internal_ext: fields.internalExt,
    need_ack: fields.needAck,
    heartbeat_duration: fields.heartbeatDuration ?? 0,
    fetch_interval: fields.fetchInterval ?? 0,
    push_server: fields.pushServer ?? '',
    push_server_v2: fields.pushServer ?? '',
    live_cursor: fields.liveCursor ?? '',
  });
  type.encode(rest, writer);
  return writer.finish();
}

export interface PushFrameFields {
  seqId: number;
  logId: string;
  headers: readonly (readonly [string, string])[];
  payloadEncoding: string;
  payloadType: string;
  payload: Uint8Array;
}

export function encodePushFrame(frame: PushFrameFields): Uint8Array {
  return encodeProto('PushFrame', {
    seq_id: frame.seqId,
    log_id: frame.logId,
    service: PUSH_SERVICE,
    method: PUSH_METHOD,
    headers: frame.headers.map(([key, value]) => ({ key, value })),
    payload_encoding: frame.payloadEncoding,
    payload_type: frame.payloadType,
    payload: frame.payload,
  });
}

export interface MsgFrameFields {
  seqId: number;
  logId: string;
  cursor: string;
  internalExt: string;
  nowMs: number;
  /** The uncompressed Response. */
  response: Uint8Array;
}

/** Header order as in the 2026 capture. */
function msgHeaders(fields: MsgFrameFields): [string, string][] {
  return [
    ['compress_type', 'gzip'],
    ['im-internal_ext', fields.internalExt],
    ['im-cursor', fields.cursor],
    ['im-now', String(fields.nowMs)],
    ['im-live_cursor', 'd-1_u-1'],
  ];
}

export function encodeMsgFrame(fields: MsgFrameFields): Uint8Array {
  return encodePushFrame({
    seqId: fields.seqId,
    logId: fields.logId,
    headers: msgHeaders(fields),
    payloadEncoding: 'pb',
    payloadType: 'msg',
    payload: gzipSync(fields.response),
  });
}

const EMPTY_GZIP = gzipSync(new Uint8Array(0));

/** The server's answer to a client `hb`: header server_time and a gzip of nothing. */
export function encodeServerHeartbeat(seqId: number, nowMs: number): Uint8Array {
  return encodePushFrame({
    seqId,
    logId: '0',
    headers: [
      ['server_time', String(nowMs)],
      ['compress_type', 'gzip'],
    ],
    payloadEncoding: '',
    payloadType: 'hb',
    payload: EMPTY_GZIP,
  });
}

export type Corruption = 'bad-gzip' | 'truncated-protobuf' | 'truncated-frame';

/** A msg frame broken in the requested way; its headers stay intact so its log_id can be read. */
export function encodeCorruptMsgFrame(fields: MsgFrameFields, corruption: Corruption): Uint8Array {
  const headers = msgHeaders(fields);
  const frame = (payload: Uint8Array) =>
    encodePushFrame({ seqId: fields.seqId, logId: fields.logId, headers, payloadEncoding: 'pb', payloadType: 'msg', payload });
  switch (corruption) {
    case 'bad-gzip': {
      // A real gzip header followed by bytes that are not a deflate stream.
      const gz = gzipSync(fields.response);
      return frame(Uint8Array.from([...gz.subarray(0, 10), ...new Array<number>(16).fill(0xff)]));
    }
    case 'truncated-protobuf':
      return frame(gzipSync(truncateFirstField(fields.response)));
    case 'truncated-frame': {
      // The payload is the frame's last field: cutting the tail leaves it shorter than declared.
      const whole = encodeMsgFrame(fields);
      return whole.subarray(0, whole.length - 10);
    }
  }
}

/** Cuts a Response inside its first length-delimited field, so it cannot be decoded. */
function truncateFirstField(response: Uint8Array): Uint8Array {
  let offset = 1;
  let length = 0;
  let shift = 0;
  while (offset < response.length) {
    const byte = response[offset++] as number;
    length |= (byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) === 0) break;
  }
  return response.subarray(0, Math.min(response.length - 1, offset + Math.floor(length / 2)));
}
