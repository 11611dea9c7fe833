import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUpstreamJson, quoteUnsafeIntegers } from '../../src/domain/mappers/json/parse.ts';

function hasUnsafeInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasUnsafeInteger);
  return false;
}

describe('parseUpstreamJson', () => {
  it('keeps integers beyond 2^53 exact, as decimal strings', () => {
    const body = parseUpstreamJson('{"data":[{"alive":true,"room_id":7687741736843512602},{"room_id":-9007199254740993}]}');
    expect(body).toEqual({ data: [{ alive: true, room_id: '7687741736843512602' }, { room_id: '-9007199254740993' }] });
    // What the trap looks like with the plain parser: the id silently changes.
    expect(String((JSON.parse('{"id":7687741736843512602}') as { id: number }).id)).not.toBe('7687741736843512602');
  });

  it('leaves safe integers, fractions, exponents and strings alone', () => {
    const text = '{"a":9007199254740991,"b":12345678901234567.5,"c":1e21,"d":"7687741736843512602","e":"x\\"7687741736843512602"}';
    expect(quoteUnsafeIntegers(text)).toBe(text);
    expect(parseUpstreamJson(text)).toEqual(JSON.parse(text));
  });

  it('does not mistake digits inside a string with escaped quotes for a number', () => {
    const text = '["say \\"1234567890123456789\\" twice", 1234567890123456789]';
    expect(parseUpstreamJson(text)).toEqual(['say "1234567890123456789" twice', '1234567890123456789']);
  });

  it('throws a SyntaxError for text that is not JSON, like JSON.parse', () => {
    expect(() => parseUpstreamJson('<html>__ac_nonce</html>')).toThrow(SyntaxError);
    expect(() => parseUpstreamJson('')).toThrow(SyntaxError);
  });

  it('agrees with JSON.parse on any JSON without unsafe integers', () => {
    fc.assert(
      fc.property(fc.jsonValue().filter((value) => !hasUnsafeInteger(value)), (value) => {
        const text = JSON.stringify(value);
        expect(parseUpstreamJson(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('returns every 64-bit id embedded as a bare number exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n + 1n, max: 2n ** 64n - 1n }), fc.string(), (id, label) => {
        const text = `{"label":${JSON.stringify(label)},"id":${id},"n":[${id}]}`;
        expect(parseUpstreamJson(text)).toEqual({ label, id: id.toString(), n: [id.toString()] });
      }),
      { numRuns: 200 },
    );
  });
});
