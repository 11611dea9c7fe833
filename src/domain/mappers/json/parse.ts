// Douyin's JSON carries 64-bit ids as bare numbers (`"id": 7687741736843512602`, check_alive's
// `room_id`), which JSON.parse silently rounds. This parser keeps every integer literal beyond
// 2^53 as its decimal text, so an id that only exists as a number still arrives exact.

const UNSAFE_DIGITS = /\d{16,}/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function isUnsafeInteger(token: string): boolean {
  if (!/^-?\d{16,}$/.test(token)) return false;
  const value = BigInt(token);
  return value > MAX_SAFE || value < -MAX_SAFE;
}

/** Wraps unsafe integer literals outside strings in quotes; leaves everything else as it was. */
export function quoteUnsafeIntegers(text: string, prefix = ''): string {
  const out: string[] = [];
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      i += 1;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i += 1;
      continue;
    }
    const startsNumber = ch === 0x2d /* - */ || (ch >= 0x30 && ch <= 0x39);
    if (!startsNumber) {
      i += 1;
      continue;
    }
    const start = i;
    i += 1;
    while (i < text.length && /[0-9.eE+-]/.test(text[i]!)) i += 1;
    const token = text.slice(start, i);
    if (isUnsafeInteger(token)) {
      out.push(text.slice(copiedUpTo, start), '"', prefix, token, '"');
      copiedUpTo = i;
    }
  }
  if (copiedUpTo === 0) return text;
  out.push(text.slice(copiedUpTo));
  return out.join('');
}

/** JSON.parse that keeps integers beyond 2^53 as decimal strings. Throws SyntaxError like JSON.parse. */
export function parseUpstreamJson(text: string): unknown {
  return JSON.parse(UNSAFE_DIGITS.test(text) ? quoteUnsafeIntegers(text) : text);
}
