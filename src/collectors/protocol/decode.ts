// One push frame in, its ack and domain events out: PushFrame → (gunzip) → Response →
// Message[] → typed payload by method → domain event. Never throws: every failure is a typed
// DecodeError, and one bad message never costs the frame's other messages.
import type { UpstreamEvent } from '../../domain/events.ts';
import { count, decimal, optionalId, toMillis, type Uint64Like } from '../../domain/ids.ts';
import type { MessageEnvelope } from '../../domain/mappers/webcast/envelope.ts';
import { mapUnknown } from '../../domain/mappers/webcast/unknown.ts';
import { errorMessage } from '../errors.ts';
import { encodeAck } from './frames.ts';
import { gunzipPayload } from './gunzip.ts';
import { isKnownMethod, METHOD_DECODERS } from './methods.ts';
import { PushFrameType, ResponseType } from './proto.ts';
import { webcastReader } from './reader.ts';
import { recordFrame } from './stats.ts';
import type {
  DecodeContext,
  DecodedFrame,
  DecodeError,
  DecodeErrorCode,
  FrameResult,
  PushFrameInfo,
  ResponseInfo,
} from './types.ts';

/** Inflated payloads above this are refused as BAD_GZIP: real frames inflate to a few KB. */
export const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

interface WirePushFrame {
  seqId: Uint64Like;
  logId: Uint64Like;
  headers: Array<{ key: string; value: string }>;
  payloadEncoding: string;
  payloadType: string;
  payload: Uint8Array;
}

interface WireMessage {
  method: string;
  payload: Uint8Array;
  msgId: Uint64Like;
}

interface WireResponse {
  messages: WireMessage[];
  cursor: string;
  fetchInterval: Uint64Like;
  now: Uint64Like;
  internalExt: string;
  heartbeatDuration: Uint64Like;
  needAck: boolean;
  pushServer: string;
  pushServerV2: string;
}

export function decodeFrame(bytes: Uint8Array, ctx: DecodeContext = {}): FrameResult {
  const result = decodePushFrame(bytes, ctx);
  if (ctx.stats !== undefined) recordFrame(ctx.stats, result, isKnownMethod);
  return result;
}

function decodePushFrame(bytes: Uint8Array, ctx: DecodeContext): FrameResult {
  if (bytes.length === 0) return failure('EMPTY_FRAME', 'the frame has no bytes');
  let frame: WirePushFrame;
  try {
    frame = PushFrameType.decode(webcastReader(bytes)) as unknown as WirePushFrame;
  } catch (error) {
    return failure('BAD_FRAME', `not a PushFrame: ${errorMessage(error)}`);
  }
  const info = frameInfo(frame);
  // Only `msg` frames carry a Response; a server `hb` (or ack, close) needs no answer.
  if (info.payloadType !== 'msg') return success(info, null, null, [], [], []);

  const inflated = inflate(bytesOf(frame.payload), frame.payloadEncoding);
  if (!(inflated instanceof Uint8Array)) return { ok: false, error: inflated };
  let response: WireResponse;
  try {
    response = ResponseType.decode(webcastReader(inflated)) as unknown as WireResponse;
  } catch (error) {
    return failure('BAD_RESPONSE', `the payload is not a Response: ${errorMessage(error)}`);
  }
  return decodeResponse(info, response, ctx);
}

function decodeResponse(info: PushFrameInfo, response: WireResponse, ctx: DecodeContext): FrameResult {
  const responseInfo = responseInfoOf(response);
  // The ack carries the Response's internal_ext: the recorded client's 78 acks all do, and in 28
  // of them the im-internal_ext header held a different value.
  const ack = response.needAck ? encodeAck(info.logId, response.internalExt) : null;
  const now = plausibleTime(responseInfo.now) || plausibleTime(ctx.receivedAt ?? 0);
  const roomId = ctx.roomId ?? null;
  const events: UpstreamEvent[] = [];
  const errors: DecodeError[] = [];
  const methods: string[] = [];
  response.messages.forEach((message, index) => {
    methods.push(message.method);
    const outcome = decodeMessage(message, { method: message.method, msgId: message.msgId, roomId, now });
    if ('code' in outcome) errors.push(outcome);
    else events.push(outcome.id === '0' ? withFrameScopedId(outcome, info.logId, index) : outcome);
  });
  return success(info, responseInfo, ack, events, errors, methods);
}

/**
 * A message with no id anywhere still needs one: dedup and the store key on it, and '0' would
 * make every such message after the first look like a repeat. The frame's log id and the
 * message's place in it name it uniquely, and the same again if Douyin re-sends that frame.
 */
function withFrameScopedId(event: UpstreamEvent, logId: string, index: number): UpstreamEvent {
  return Object.assign({}, event, { id: `nomsgid:${logId}:${index}` });
}

function decodeMessage(message: WireMessage, envelope: MessageEnvelope): UpstreamEvent | DecodeError {
  const payload = bytesOf(message.payload);
  const method = METHOD_DECODERS.get(message.method);
  if (method === undefined) return mapUnknown(payload, envelope);
  try {
    const wire = method.decode(payload);
    const common = wire.common ?? null;
    const messageRoom = optionalId(common?.roomId);
    if (envelope.roomId !== null && messageRoom !== null && messageRoom !== envelope.roomId) {
      const msgId = optionalId(common?.msgId) ?? decimal(envelope.msgId);
      const reason = `message for room ${messageRoom} on the connection for room ${envelope.roomId}`;
      return { code: 'WRONG_ROOM', reason, method: message.method, msgId };
    }
    return method.map(wire, envelope) ?? mapUnknown(payload, envelope, common);
  } catch (error) {
    const reason = `payload is not a valid ${message.method}: ${errorMessage(error)}`;
    return { code: 'BAD_MESSAGE', reason, method: message.method, msgId: decimal(envelope.msgId) };
  }
}

/**
 * Gzip is decided by the payload's magic bytes (1f 8b). A payload_encoding of "gzip" (any case)
 * on a payload without them is BAD_GZIP. The compress_type header alone claims nothing: Douyin
 * sends it on every frame, and a plain payload under it decodes as plain (as 3.x did, S13-vectors
 * plain-payload-with-ack).
 */
function inflate(payload: Uint8Array, encoding: string): Uint8Array | DecodeError {
  if (payload.length >= 2 && payload[0] === 0x1f && payload[1] === 0x8b) {
    try {
      return gunzipPayload(payload, MAX_INFLATED_BYTES);
    } catch (error) {
      return { code: 'BAD_GZIP', reason: `the payload does not inflate: ${errorMessage(error)}` };
    }
  }
  if (encoding.toLowerCase() === 'gzip') {
    return { code: 'BAD_GZIP', reason: `payload_encoding is "${encoding}" but the payload has no gzip header` };
  }
  return payload;
}

/** A time in ms, or 0 when it is none or corrupt (past year 9999): the last createdAt fallback. */
function plausibleTime(ms: number): number {
  return toMillis(ms) === ms ? ms : 0;
}

const NO_BYTES = new Uint8Array(0);

/** protobufjs leaves an absent bytes field as its default, which is not a Uint8Array. */
function bytesOf(value: Uint8Array | null | undefined): Uint8Array {
  return value instanceof Uint8Array ? value : NO_BYTES;
}

function frameInfo(frame: WirePushFrame): PushFrameInfo {
  // No prototype, so a header named "__proto__" is just a key.
  const headers: Record<string, string> = Object.create(null);
  for (const header of frame.headers) headers[header.key] = header.value;
  return { seqId: decimal(frame.seqId), logId: decimal(frame.logId), payloadType: frame.payloadType, headers };
}

function responseInfoOf(response: WireResponse): ResponseInfo {
  return {
    cursor: response.cursor,
    internalExt: response.internalExt,
    now: count(response.now),
    needAck: response.needAck,
    heartbeatDuration: count(response.heartbeatDuration),
    fetchInterval: count(response.fetchInterval),
    pushServer: response.pushServerV2 || response.pushServer || null,
    messageCount: response.messages.length,
  };
}

function success(
  frame: PushFrameInfo,
  response: ResponseInfo | null,
  ack: Uint8Array | null,
  events: UpstreamEvent[],
  errors: DecodeError[],
  methods: string[],
): FrameResult {
  const value: DecodedFrame = { frame, response, ack, events, errors, methods };
  return { ok: true, value };
}

function failure(code: DecodeErrorCode, reason: string): FrameResult {
  return { ok: false, error: { code, reason } };
}
