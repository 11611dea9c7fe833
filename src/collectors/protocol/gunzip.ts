// Gunzip of a push payload. Node's gunzipSync builds a zlib stream (handle, buffers, listeners)
// for every call: about 6–7 µs before the first byte, most of a 360-byte S13 payload's cost.
// The payloads Douyin sends are small and one fixed-Huffman block each (288 of the 289 in the
// S13 captures); those are inflated by fflate's inflateSync, plain JavaScript with no such
// set-up, and the result is only taken when it proves itself against the gzip trailer (length
// and CRC-32). Everything else goes to Node's gunzipSync, whose bytes and errors stand as before.
//
// Why only one final fixed-Huffman block: fflate checks less than zlib. It does not compare a
// stored block's length with its complement, nor check that a dynamic block's code tables are
// complete and in range; a payload corrupted only there still inflates to the right bytes, so
// the CRC passes, where zlib refuses it (the property test in test/protocol/gunzip.test.ts found
// the first). A fixed block has neither.
//
// fflate does not say where the deflate stream ended, so the trailer checked is the payload's
// last 8 bytes, while Node reads the one right after the stream, then another member or fails
// on garbage. A payload holding a second gzip header is left to Node (two copies of one member
// inflate to both, as before). What can still differ: one member, then bytes with no gzip
// header in them, then a valid trailer for that member again: Node refuses it, this path takes
// it. Only a payload built for it does that.
import { inflateSync } from 'fflate';
import { crc32, gunzipSync as nodeGunzipSync } from 'node:zlib';

/**
 * Above this many inflated bytes Node is faster: fflate's time grows with the output about
 * twice as fast as zlib's. On the S13 payloads (≤ 1,511 bytes inflated) fflate took 2.9–5.8 µs
 * against Node's 6.2–7.6 µs, the largest sizes closest.
 */
export const SMALL_INFLATED_BYTES = 1536;

const HEADER_BYTES = 10;
const TRAILER_BYTES = 8;
const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;
const DEFLATE = 8;
/** The first three bits of the deflate data: BFINAL = 1, BTYPE = 01 (fixed Huffman). */
const FINAL_FIXED_BLOCK = 0b011;
/** Where a second member could start: after a 10-byte header, 2 bytes of deflate and the trailer. */
const MIN_MEMBER_BYTES = 20;
const MEMBER_START = Buffer.from([GZIP_ID1, GZIP_ID2, DEFLATE]);

/**
 * The inflated bytes of a gzip payload, or Node's zlib error. maxOutputLength bounds what Node
 * inflates; the small path never exceeds SMALL_INFLATED_BYTES.
 */
export function gunzipPayload(payload: Uint8Array, maxOutputLength: number): Uint8Array {
  return inflateSmall(payload) ?? nodeGunzipSync(payload, { maxOutputLength });
}

/** The inflated bytes when the payload is small, plain and checks out; null for Node to decide. */
function inflateSmall(payload: Uint8Array): Uint8Array | null {
  const length = payload.length;
  if (length < MIN_MEMBER_BYTES) return null;
  // Flags 0: no name, comment, extra field or header CRC, so the deflate data starts at byte 10.
  if (payload[0] !== GZIP_ID1 || payload[1] !== GZIP_ID2 || payload[2] !== DEFLATE || payload[3] !== 0) return null;
  if ((payload[HEADER_BYTES]! & 0b111) !== FINAL_FIXED_BLOCK) return null;
  const expectedSize = readUint32LE(payload, length - 4);
  // Empty content has a trailer of zeros, which a damaged payload often ends in too: a block cut
  // short to nothing would then check out here while Node, reading the trailer where the stream
  // ends, refuses it. Douyin sends no empty payloads, so Node decides those.
  if (expectedSize === 0 || expectedSize > SMALL_INFLATED_BYTES) return null;
  if (asBuffer(payload).indexOf(MEMBER_START, MIN_MEMBER_BYTES) !== -1) return null;
  // One byte of room past the claimed size: output that does not stop there shows up as a
  // longer result instead of being cut to fit (fflate drops writes past a buffer it was given).
  // From Buffer's pool rather than an ArrayBuffer of its own (9 % of a decode in the profile):
  // uninitialised is safe, as a result is only taken when fflate wrote every one of its bytes.
  const out = Buffer.allocUnsafe(expectedSize + 1);
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(payload.subarray(HEADER_BYTES, length - TRAILER_BYTES), { out });
  } catch {
    return null;
  }
  if (inflated.length !== expectedSize || crc32(inflated) !== readUint32LE(payload, length - TRAILER_BYTES)) return null;
  return inflated;
}

function readUint32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
