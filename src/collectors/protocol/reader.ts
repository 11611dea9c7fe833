// The protobuf reader every webcast decode goes through: protobufjs' BufferReader with two reads
// made cheaper and their results unchanged (together they were most of a decode's time):
// - 64-bit varints below 2^53 come back as plain numbers (as protobufjs gives them without
//   long.js), larger ones as a Long whose decimal toString goes through BigInt: Long's own
//   toString(10) divides Long by Long, ~0.5 µs an id, and a message carries several ids and
//   counts; src/domain/ids.ts reads both forms;
// - strings decode with Buffer's UTF-8 slice and are checked with buffer.isUtf8 only when the
//   slice met a bad sequence, instead of a fatal TextDecoder call per string. Invalid UTF-8
//   still throws, as protobufjs does for proto3 strings.
// Generated decoders hand the reader they are given down to nested messages, so passing one of
// these to Type.decode covers the whole tree and protobufjs' globals stay untouched.
//
// Both types are function constructors on purpose: under tsx (the runtime here; esbuild with
// keepNames) `new` on a class that `extends` another costs ~0.35 µs, 30× a plain constructor,
// and these are built per 64-bit value and per payload.
import { isUtf8 } from 'node:buffer';
import type Long from 'long';
import protobuf from 'protobufjs';

const LongClass = protobuf.util.Long as unknown as typeof Long;
const TWO_POW_32 = 4294967296n;
const TWO_POW_32_NUMBER = 4294967296;
/** Values whose high word is below this are below 2^53: a number holds them exactly. */
const SAFE_HIGH_WORDS = 0x200000;

type LongFields = { low: number; high: number; unsigned: boolean; decimalText: string };
type DecimalLongConstructor = new (low: number, high: number, unsigned: boolean) => Long;

const DecimalLong = function DecimalLong(this: LongFields, low: number, high: number, unsigned: boolean) {
  // What Long's constructor does; the prototype below makes the result a Long in every way.
  this.low = low | 0;
  this.high = high | 0;
  this.unsigned = unsigned;
  // An id is read several times (room check, event id): its text is built once.
  this.decimalText = '';
} as unknown as DecimalLongConstructor;

DecimalLong.prototype = Object.create(LongClass.prototype, {
  constructor: { value: DecimalLong, writable: true, configurable: true },
  toString: { value: decimalToString, writable: true, configurable: true },
});

function decimalToString(this: Long & LongFields, radix?: number): string {
  if ((radix !== undefined && radix !== 10) || (!this.unsigned && this.high < 0)) {
    return LongClass.prototype.toString.call(this, radix);
  }
  if (this.decimalText === '') this.decimalText = (BigInt(this.high >>> 0) * TWO_POW_32 + BigInt(this.low >>> 0)).toString();
  return this.decimalText;
}

/** Buffer's own UTF-8 slice (what Buffer#toString calls, without its argument handling). */
type ReaderState = protobuf.Reader & { buf: Buffer & { utf8Slice?: (start: number, end: number) => string } };
type WebcastReaderConstructor = new (buffer: Buffer) => protobuf.BufferReader;

const WebcastReader = function WebcastReader(this: protobuf.BufferReader, buffer: Buffer) {
  Reflect.apply(protobuf.BufferReader, this, [buffer]);
} as unknown as WebcastReaderConstructor;

WebcastReader.prototype = Object.create(protobuf.BufferReader.prototype, {
  constructor: { value: WebcastReader, writable: true, configurable: true },
  uint64: { value: readUint64, writable: true, configurable: true },
  int64: { value: readInt64, writable: true, configurable: true },
  stringVerify: { value: readString, writable: true, configurable: true },
});

/** A reader over bytes for Type.decode; shares the bytes, copies nothing. */
export function webcastReader(bytes: Uint8Array): protobuf.Reader {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new WebcastReader(buffer);
}

function readUint64(this: ReaderState): number | Long {
  return readVarint64(this, true);
}

function readInt64(this: ReaderState): number | Long {
  return readVarint64(this, false);
}

function readString(this: ReaderState): string {
  const length = this.size();
  const start = this.pos;
  const end = start + length;
  if (end > this.len) throw new RangeError(`index out of range: ${start} + ${length} > ${this.len}`);
  this.pos = end;
  const text = this.buf.utf8Slice ? this.buf.utf8Slice(start, end) : this.buf.toString('utf8', start, end);
  // The slice turns bad bytes into U+FFFD; only then is the exact check worth its cost.
  if (text.includes('\uFFFD') && !isUtf8(this.buf.subarray(start, end))) {
    throw new TypeError('a string field is not valid UTF-8');
  }
  return text;
}

/** A base-128 varint of up to 10 bytes, as protobufjs reads it: a number below 2^53, else a DecimalLong. */
function readVarint64(reader: ReaderState, unsigned: boolean): number | Long {
  const { buf, len } = reader;
  let pos = reader.pos;
  let low = 0;
  let high = 0;
  let byte: number;
  for (let shift = 0; shift < 28; shift += 7) {
    byte = byteAt(buf, pos++, len);
    low |= (byte & 0x7f) << shift;
    if (byte < 0x80) return finish(reader, pos, low, high, unsigned);
  }
  byte = byteAt(buf, pos++, len);
  low |= (byte & 0x0f) << 28;
  high = (byte & 0x7f) >> 4;
  if (byte < 0x80) return finish(reader, pos, low, high, unsigned);
  for (let shift = 3; shift < 32; shift += 7) {
    byte = byteAt(buf, pos++, len);
    high |= (byte & 0x7f) << shift;
    if (byte < 0x80) return finish(reader, pos, low, high, unsigned);
  }
  throw new Error('invalid varint encoding');
}

function byteAt(buf: Buffer, pos: number, len: number): number {
  if (pos >= len) throw new RangeError(`index out of range: ${pos} + 1 > ${len}`);
  return buf[pos]!;
}

function finish(reader: ReaderState, pos: number, low: number, high: number, unsigned: boolean): number | Long {
  reader.pos = pos;
  if (high >>> 0 < SAFE_HIGH_WORDS) return (high >>> 0) * TWO_POW_32_NUMBER + (low >>> 0);
  return new DecimalLong(low, high, unsigned);
}
