// The two frames a client sends: the heartbeat and the ack. Both are written byte by byte so
// they match what Douyin's own client sends exactly (protocol §4.2).

/** PushFrame with only payload_type = "hb": the client heartbeat, also sent as the join. */
export const HEARTBEAT_FRAME: Uint8Array = Uint8Array.of(0x3a, 0x02, 0x68, 0x62);

const LOG_ID_TAG = 0x10; // field 2, varint
const PAYLOAD_TYPE_ACK = [0x3a, 0x03, 0x61, 0x63, 0x6b]; // field 7, "ack"
const PAYLOAD_TAG = 0x42; // field 8, length-delimited
const DECIMAL = /^[0-9]{1,20}$/;
const UINT64_MAX = 18446744073709551615n;
const TWO_POW_32 = 4294967296;

/**
 * The ack for a frame whose Response asked for one: field 2 log_id (the frame's, unsigned,
 * written even when 0), field 7 "ack", field 8 the Response's internal_ext as UTF-8 (written
 * even when empty). Throws RangeError when logId is not a decimal uint64: that is a caller bug,
 * the decoder only ever hands out valid ones.
 * One is built per message frame, and building it was 6 % of decoding the S13 captures: the
 * bytes come from Buffer's pool (no zero-filled ArrayBuffer of their own) and the varints are
 * written from two numbers, without an object per shift.
 */
export function encodeAck(logId: string, internalExt: string): Uint8Array {
  const { low, high } = uint64Words(logId);
  const extLength = Buffer.byteLength(internalExt, 'utf8');
  const headLength = 1 + varint64Length(low, high) + PAYLOAD_TYPE_ACK.length + 1 + varint64Length(extLength, 0);
  const out = Buffer.allocUnsafe(headLength + extLength);
  let pos = 0;
  out[pos++] = LOG_ID_TAG;
  pos = writeVarint64(out, pos, low, high);
  for (const byte of PAYLOAD_TYPE_ACK) out[pos++] = byte;
  out[pos++] = PAYLOAD_TAG;
  pos = writeVarint64(out, pos, extLength, 0);
  out.write(internalExt, pos, extLength, 'utf8');
  return out;
}

/** The unsigned 32-bit halves of a decimal uint64; up to 15 digits a number holds it exactly. */
function uint64Words(logId: string): { low: number; high: number } {
  if (!DECIMAL.test(logId)) throw new RangeError(`log_id must be a decimal uint64, got "${logId}"`);
  if (logId.length <= 15) {
    const value = Number(logId);
    return { low: value % TWO_POW_32, high: Math.floor(value / TWO_POW_32) };
  }
  const id = BigInt(logId);
  if (id > UINT64_MAX) throw new RangeError(`log_id must be a decimal uint64, got "${logId}"`);
  return { low: Number(id & 0xffffffffn), high: Number(id >> 32n) };
}

/** Bytes of the varint of high·2^32 + low (both unsigned 32-bit). */
function varint64Length(low: number, high: number): number {
  let length = 1;
  while (high !== 0 || low > 0x7f) {
    low = ((low >>> 7) | (high << 25)) >>> 0;
    high >>>= 7;
    length += 1;
  }
  return length;
}

function writeVarint64(out: Uint8Array, start: number, low: number, high: number): number {
  let pos = start;
  while (high !== 0 || low > 0x7f) {
    out[pos++] = (low & 0x7f) | 0x80;
    low = ((low >>> 7) | (high << 25)) >>> 0;
    high >>>= 7;
  }
  out[pos++] = low;
  return pos;
}
