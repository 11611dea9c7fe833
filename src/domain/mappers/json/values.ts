// Safe readers for untrusted upstream JSON: every one accepts anything and answers a typed
// value or null, so a missing or oddly typed field never throws inside a mapper.

export type JsonRecord = Record<string, unknown>;

export function record(value: unknown): JsonRecord | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRecord) : null;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string, else null. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A finite number, or a string that is one (Douyin sends both for counts). */
export function int(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

/** A count that must not be negative; null when absent. */
export function nonNegative(value: unknown): number | null {
  const n = int(value);
  return n !== null && n >= 0 ? n : null;
}

export function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

const DECIMAL = /^[0-9]+$/;

/**
 * An id from a JSON value: a decimal string as it is, a number only when it is a safe integer
 * (a larger one was already rounded by whoever parsed it, so it cannot be trusted). Zero and
 * empty mean "no id" in Douyin's JSON.
 */
export function idValue(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return DECIMAL.test(trimmed) && !/^0+$/.test(trimmed) ? trimmed.replace(/^0+/, '') : null;
  }
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  return null;
}

/** Reads `<key>_str` first (Douyin's exact form), then `<key>`. */
export function idOf(source: JsonRecord | null, key = 'id'): string | null {
  if (source === null) return null;
  return idValue(source[`${key}_str`]) ?? idValue(source[key]);
}

/** Follows a path of keys through nested objects; null as soon as one is missing. */
export function at(value: unknown, ...path: string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    const next = record(current);
    if (next === null) return null;
    current = next[key];
  }
  return current;
}
