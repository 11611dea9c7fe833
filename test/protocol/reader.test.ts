// WebcastReader must read exactly what protobufjs' own reader reads, only faster: checked
// differentially on random values.
import fc from 'fast-check';
import Long from 'long';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { webcastReader } from '../../src/collectors/protocol/reader.ts';
import { count, decimal } from '../../src/domain/ids.ts';

const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });

function written(write: (writer: protobuf.Writer) => void): Buffer {
  const writer = protobuf.Writer.create();
  write(writer);
  return Buffer.from(writer.finish());
}

describe('webcastReader', () => {
  it('reads every uint64 to its exact decimal', () => {
    fc.assert(
      fc.property(uint64, (value) => {
        const bytes = written((w) => w.uint64(Long.fromString(value.toString(), true)));
        const read = webcastReader(bytes).uint64();
        expect(decimal(read)).toBe(value.toString());
        expect(count(read)).toBe(Number(value));
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    [0n, 'number'],
    [9007199254740991n, 'number'], // 2^53 - 1: the largest a number holds exactly
    [9007199254740992n, 'object'], // 2^53
    [18446744073709551615n, 'object'],
  ])('returns %s as a %s', (value, kind) => {
    const read = webcastReader(written((w) => w.uint64(Long.fromString(value.toString(), true)))).uint64();
    expect(typeof read).toBe(kind);
    expect(decimal(read)).toBe(value.toString());
  });

  it('reads every int64 as protobufjs does, negatives included', () => {
    fc.assert(
      fc.property(int64, (value) => {
        const bytes = written((w) => w.int64(Long.fromString(value.toString(), false)));
        expect(webcastReader(bytes).int64().toString()).toBe(protobuf.Reader.create(bytes).int64().toString());
        expect(count(webcastReader(bytes).int64())).toBe(Number(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('reads strings as protobufjs does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const bytes = written((w) => w.string(text));
        expect(webcastReader(bytes).stringVerify()).toBe(protobuf.Reader.create(bytes).stringVerify());
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects exactly the byte strings protobufjs rejects as invalid UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (raw) => {
        const bytes = written((w) => w.bytes(raw));
        const ours = attempt(() => webcastReader(bytes).stringVerify());
        const theirs = attempt(() => protobuf.Reader.create(bytes).stringVerify());
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses truncated varints and strings with a RangeError', () => {
    expect(() => webcastReader(Uint8Array.of(0xff, 0xff)).uint64()).toThrow(RangeError);
    expect(() => webcastReader(Uint8Array.of(0x05, 0x61)).stringVerify()).toThrow(RangeError);
    expect(() => webcastReader(Uint8Array.of(...Array(10).fill(0xff), 0x01)).uint64()).toThrow('invalid varint');
  });
});

function attempt(read: () => string): { text: string } | { failed: true } {
  try {
    return { text: read() };
  } catch {
    return { failed: true };
  }
}
