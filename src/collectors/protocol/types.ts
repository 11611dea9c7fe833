// The decoder's contract: bytes in, a frame with its ack and domain events out. Nothing in
// here throws on bad input; every failure is a DecodeError with a code and a reason.
import type { UpstreamEvent } from '../../domain/events.ts';

export type DecodeErrorCode =
  | 'EMPTY_FRAME' // zero bytes
  | 'BAD_FRAME' // the PushFrame itself is not valid protobuf
  | 'BAD_GZIP' // the payload claims or looks gzip and does not inflate
  | 'BAD_RESPONSE' // the (inflated) payload is not a valid Response
  | 'BAD_MESSAGE' // one message's payload is not valid for its method
  | 'WRONG_ROOM'; // a message for another room on this connection

export interface DecodeError {
  code: DecodeErrorCode;
  reason: string;
  /** The message method, for BAD_MESSAGE / WRONG_ROOM. */
  method?: string;
  msgId?: string;
}

export interface PushFrameInfo {
  seqId: string;
  logId: string;
  /** msg, hb, ack, close… */
  payloadType: string;
  headers: Record<string, string>;
}

export interface ResponseInfo {
  cursor: string;
  internalExt: string;
  /** Server time, ms. */
  now: number;
  needAck: boolean;
  /** Seconds, as Douyin sends it (15 observed); 0 when absent. */
  heartbeatDuration: number;
  fetchInterval: number;
  pushServer: string | null;
  messageCount: number;
}

export interface DecodedFrame {
  frame: PushFrameInfo;
  /** Present for `msg` frames whose payload decoded. */
  response: ResponseInfo | null;
  /** The ack to send back before processing, when the frame asks for one. */
  ack: Uint8Array | null;
  events: UpstreamEvent[];
  /** Per-message failures; the frame's other messages still come through. */
  errors: DecodeError[];
  /** Methods seen in this frame, in order, including those that failed to decode. */
  methods: string[];
}

export type FrameResult = { ok: true; value: DecodedFrame } | { ok: false; error: DecodeError };

export interface DecodeContext {
  /** The room this connection watches: messages for another room are dropped as WRONG_ROOM. */
  roomId?: string;
  /** Counters to update (frames, messages, errors by code, unknown methods); see stats.ts. */
  stats?: DecodeStats;
  /** When the frame arrived, ms: the last fallback for createdAt when the Response has no `now`. */
  receivedAt?: number;
}

/** Running decoder counters, read by the server's /metrics. Create with createDecodeStats(). */
export interface DecodeStats {
  frames: number;
  messages: number;
  events: number;
  errors: Record<DecodeErrorCode, number>;
  /** Messages per unmodelled method name (bounded: rare names beyond the cap count under '(other)'). */
  unknownMethods: Map<string, number>;
}
