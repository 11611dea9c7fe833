// A small seeded PRNG (sfc32 seeded through cyrb128). Every random choice the simulator makes
// goes through one of these, so a seed reproduces a run. `fork(label)` gives an independent
// stream, which keeps e.g. one room's traffic unaffected by how often the feed is fetched.

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by non-negative weights; an all-zero list picks the first item. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** `length` decimal digits, the first one non-zero. */
  digits(length: number): string;
  /** Random characters from an alphabet. */
  chars(length: number, alphabet: string): string;
  /** An unsigned 32-bit integer. */
  uint32(): number;
  fork(label: string): Prng;
  readonly seed: string;
}

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export function createPrng(seed: string | number): Prng {
  const seedText = String(seed);
  let [a, b, c, d] = cyrb128(seedText);
  const uint32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  const next = () => uint32() / 4294967296;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const prng: Prng = {
    seed: seedText,
    next,
    int,
    uint32,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(0, items.length - 1)] as (typeof items)[number];
    },
    weighted: (items) => {
      if (items.length === 0) throw new RangeError('weighted pick from an empty list');
      const total = items.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
      if (total <= 0) return (items[0] as (typeof items)[number])[0];
      let roll = next() * total;
      for (const [item, weight] of items) {
        roll -= Math.max(0, weight);
        if (roll < 0) return item;
      }
      return (items[items.length - 1] as (typeof items)[number])[0];
    },
    digits: (length) => {
      let text = String(int(1, 9));
      for (let i = 1; i < length; i++) text += String(int(0, 9));
      return text;
    },
    chars: (length, alphabet) => {
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[int(0, alphabet.length - 1)];
      return text;
    },
    fork: (label) => createPrng(`${seedText}/${label}`),
  };
  return prng;
}
