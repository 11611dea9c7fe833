// The two frames a client sends: the heartbeat and the ack. Both are written byte by byte so
// they match what Douyin's own client sends exactly (protocol §4.2).

/** PushFrame with only payload_type = "hb": the client heartbeat, also sent as the join. */
export const HEARTBEAT_FRAME: Uint8Array = Uint8Array.of(0x3a, 0x02, 0x68, 0x62);

const LOG_ID_TAG = 0x10; // field 2, varint
const PAYLOAD_TYPE_ACK = [0x3a, 0x03, 0x61, 0x63, 0x6b]; // field 7, "ack"
const PAYLOAD_TAG = 0x42; // field 8, length-delimited
const DECIMAL = /^[0-9]{1,20}$/;
const UINT64_MAX = 18446744073709551615n;
const utf8 = new TextEncoder();

/**
 * The ack for a frame whose Response asked for one: field 2 log_id (the frame's, unsigned,
 * written even when 0), field 7 "ack", field 8 the Response's internal_ext as UTF-8 (written
 * even when empty). Throws RangeError when logId is not a decimal uint64: that is a caller bug,
 * the decoder only ever hands out valid ones.
 */
export function encodeAck(logId: string, internalExt: string): Uint8Array {
  const id = DECIMAL.test(logId) ? BigInt(logId) : -1n;
  if (id < 0n || id > UINT64_MAX) throw new RangeError(`log_id must be a decimal uint64, got "${logId}"`);
  const low = Number(id & 0xffffffffn);
  const high = Number(id >> 32n);
  const extLength = Buffer.byteLength(internalExt, 'utf8');
  const headLength = 1 + varint64Length(low, high) + PAYLOAD_TYPE_ACK.length + 1 + varint64Length(extLength, 0);
  const out = new Uint8Array(headLength + extLength);
  let pos = 0;
  out[pos++] = LOG_ID_TAG;
  pos = writeVarint64(out, pos, low, high);
  out.set(PAYLOAD_TYPE_ACK, pos);
  pos += PAYLOAD_TYPE_ACK.length;
  out[pos++] = PAYLOAD_TAG;
  pos = writeVarint64(out, pos, extLength, 0);
  utf8.encodeInto(internalExt, out.subarray(pos));
  return out;
}

/** Bytes of the varint of high·2^32 + low (both unsigned 32-bit). */
function varint64Length(low: number, high: number): number {
  let length = 1;
  for (let rest = { low, high }; rest.high !== 0 || rest.low > 0x7f; length += 1) shiftSeven(rest);
  return length;
}

function writeVarint64(out: Uint8Array, start: number, low: number, high: number): number {
  const rest = { low, high };
  let pos = start;
  while (rest.high !== 0 || rest.low > 0x7f) {
    out[pos++] = (rest.low & 0x7f) | 0x80;
    shiftSeven(rest);
  }
  out[pos++] = rest.low;
  return pos;
}

function shiftSeven(value: { low: number; high: number }): void {
  value.low = ((value.low >>> 7) | (value.high << 25)) >>> 0;
  value.high >>>= 7;
}
