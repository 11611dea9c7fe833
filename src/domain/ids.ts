// 64-bit Douyin ids never live in a JS number: they pass 2^53 (and room ids pass 2^63 around
// 2038), so every id is carried as a decimal string from the decoder up.

/** What protobufjs hands back for a 64-bit field: a Long, or a number/string for small values. */
export type Uint64Like = { toString(radix?: number): string } | number | string | null | undefined;

/** Decimal string of a 64-bit value; '0' when the field is absent. */
export function decimal(value: Uint64Like): string {
  if (value === null || value === undefined) return '0';
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : '0';
  return value.toString(10);
}

/** A decimal id, or null when the field is absent or zero (Douyin's "no value"). */
export function optionalId(value: Uint64Like): string | null {
  const text = decimal(value);
  return text === '0' || text === '' ? null : text;
}

/** A 64-bit count as a JS number: counts (likes, viewers, diamonds) stay far below 2^53. */
export function count(value: Uint64Like): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  const n = Number(value.toString(10));
  return Number.isFinite(n) ? n : 0;
}

const DIGITS = /^[0-9]+$/;
const UINT64_MAX = 18446744073709551615n;

export type RoomRef = { kind: 'roomId'; roomId: string } | { kind: 'webRid'; webRid: string };

/**
 * Tells a room_id from a web_rid (protocol §1.1): up to 16 digits is a web_rid (fixed per
 * anchor), 17 or more is a per-broadcast room_id. Returns null for anything that is not a
 * positive decimal that fits in 64 bits.
 */
export function parseRoomRef(input: string): RoomRef | null {
  const text = input.trim();
  if (!isDecimalUint64(text)) return null;
  return text.length <= 16 ? { kind: 'webRid', webRid: text } : { kind: 'roomId', roomId: text };
}

export function isDecimalUint64(text: string): boolean {
  if (!DIGITS.test(text) || text.length > 20) return false;
  const value = BigInt(text);
  return value > 0n && value <= UINT64_MAX;
}

export function isRoomId(text: string): boolean {
  return isDecimalUint64(text) && text.length >= 17;
}

/** The high 32 bits of a room_id are the broadcast's start time in Unix seconds (protocol §1.1). */
export function roomStartMs(roomId: string): number | null {
  if (!isRoomId(roomId)) return null;
  return Number(BigInt(roomId) >> 32n) * 1000;
}

/** Douyin timestamps come in seconds or milliseconds: above 1e11 is milliseconds (protocol §5.1). */
export function toMillis(value: number): number | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  const ms = value > 1e11 ? value : value * 1000;
  // Beyond year 9999 a value is corrupt, not a time.
  return ms < 253402300800000 ? Math.trunc(ms) : null;
}
