// gunzipPayload must answer exactly as Node's gunzipSync does: the same bytes, or the same
// error, whichever inflater did the work.
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gunzipPayload, SMALL_INFLATED_BYTES } from '../../src/collectors/protocol/gunzip.ts';
import { PushFrameType } from '../../src/collectors/protocol/proto.ts';
import { captureSuite, readFrames } from './captures.ts';

const MAX = 16 * 1024 * 1024;

type Outcome = { bytes: string } | { error: string };

function outcome(inflate: () => Uint8Array): Outcome {
  try {
    return { bytes: Buffer.from(inflate()).toString('hex') };
  } catch (error) {
    return { error: String(error) };
  }
}

function expectAsNode(payload: Uint8Array): void {
  expect(outcome(() => gunzipPayload(payload, MAX))).toEqual(outcome(() => gunzipSync(payload, { maxOutputLength: MAX })));
}

/** Text-like bytes, so the deflater finds matches and uses every block type. */
const content = fc.oneof(
  fc.uint8Array({ maxLength: SMALL_INFLATED_BYTES + 200 }),
  fc.string({ unit: 'grapheme', maxLength: 600 }).map((text) => new Uint8Array(Buffer.from(text.repeat(3).slice(0, 2000)))),
);
const level = fc.integer({ min: 0, max: 9 });
const strategy = fc.constantFrom(constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE);

describe('gunzipPayload', () => {
  it('inflates what zlib deflated, at every level and strategy, as Node does', () => {
    fc.assert(
      fc.property(content, level, strategy, (bytes, lvl, strat) => {
        const payload = gzipSync(bytes, { level: lvl, strategy: strat });
        expect(Buffer.from(gunzipPayload(payload, MAX)).equals(bytes)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('answers bit-flipped, cut and extended payloads with Node’s bytes or Node’s error', () => {
    const payload = fc.tuple(content, level, strategy).map(([bytes, lvl, strat]) => new Uint8Array(gzipSync(bytes, { level: lvl, strategy: strat })));
    fc.assert(
      fc.property(payload, fc.nat(), fc.integer({ min: 1, max: 255 }), (gz, at, mask) => {
        const flipped = gz.slice();
        flipped[at % flipped.length]! ^= mask;
        expectAsNode(flipped);
        expectAsNode(gz.subarray(0, at % gz.length));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses, as Node does, a block cut short to nothing before a trailer of zeros', () => {
    // An empty stored block with one bit flipped into a fixed-Huffman block that ends at once:
    // the last 8 bytes are then a valid trailer for empty content, the bytes read after the stream's end are not.
    expectAsNode(Uint8Array.from([31, 139, 8, 0, 0, 0, 0, 0, 4, 3, 3, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0]));
  });

  it('leaves to Node what it cannot check: a trailer that understates, two members, a file name, trailing bytes', () => {
    const text = Buffer.from('the same words again and again, '.repeat(20));
    const gz = gzipSync(text);
    const understated = Buffer.from(gz);
    understated.writeUInt32LE(text.length - 1, understated.length - 4);
    expectAsNode(understated);
    expectAsNode(Buffer.concat([gz, gz]));
    expectAsNode(Buffer.concat([gzipSync('a'), gzipSync('b')]));
    expectAsNode(Buffer.concat([gz, Buffer.alloc(4)]));
    expectAsNode(Buffer.concat([gz, Buffer.from([1, 2, 3])]));
    const named = Buffer.concat([gz.subarray(0, 10), Buffer.from('name\0'), gz.subarray(10)]);
    named[3] = 0x08;
    expectAsNode(named);
    expect(Buffer.from(gunzipPayload(named, MAX)).equals(text)).toBe(true);
  });

  it('leaves stored blocks to Node, which checks their length complement (fflate does not)', () => {
    const stored = Buffer.from(gzipSync(Buffer.from('0123456789ab'), { level: 0 }));
    stored[13]! ^= 0x01; // NLEN
    expect(() => gunzipSync(stored)).toThrow(/stored block/);
    expectAsNode(stored);
  });

  it('takes, where Node refuses it, one member followed by other bytes and its own trailer again (documented)', () => {
    const gz = gzipSync(Buffer.from('a small fixed-Huffman member'), { strategy: constants.Z_FIXED });
    const crafted = Buffer.concat([gz, Buffer.from([1]), gz.subarray(gz.length - 8)]);
    expect(() => gunzipSync(crafted)).toThrow();
    expect(Buffer.from(gunzipPayload(crafted, MAX)).toString()).toBe('a small fixed-Huffman member');
  });

  it('keeps Node’s output limit', () => {
    const big = gzipSync(Buffer.alloc(4096));
    expect(() => gunzipPayload(big, 1024)).toThrow(/buffer|length|large/i);
    expectAsNode(gzipSync(Buffer.alloc(SMALL_INFLATED_BYTES)));
  });

  const suite = captureSuite('S13-live');
  it.skipIf(suite.missing)('inflates every S13 payload to Node’s bytes', () => {
    let payloads = 0;
    for (const frame of [...readFrames('S13-live'), ...(captureSuite('S13-audience').missing ? [] : readFrames('S13-audience'))]) {
      if (frame.dir !== 'in') continue;
      const payload = (PushFrameType.decode(frame.bytes) as unknown as { payload: Uint8Array }).payload;
      if (!(payload instanceof Uint8Array) || payload[0] !== 0x1f || payload[1] !== 0x8b) continue;
      expect(Buffer.from(gunzipPayload(payload, MAX)).equals(gunzipSync(payload))).toBe(true);
      payloads += 1;
    }
    expect(payloads).toBeGreaterThan(100);
  });
});
