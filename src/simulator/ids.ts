// Id formats as Douyin writes them (protocol §1.1). Every id is a decimal string; the 64-bit
// ones are built with BigInt so no digit is lost.
import type { Prng } from './prng.ts';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const HEX = '0123456789abcdef';

/** A 19-digit room_id whose high 32 bits are the broadcast start in Unix seconds. */
export function newRoomId(startMs: number, prng: Prng): string {
  return ((BigInt(Math.floor(startMs / 1000)) << 32n) | BigInt(prng.uint32())).toString();
}

/** The anchor's fixed room number: 12 digits. */
export function newWebRid(prng: Prng): string {
  return prng.digits(12);
}

/** A uid: older accounts have 11 digits, newer ones 15–16. */
export function newUid(prng: Prng): string {
  return prng.digits(prng.pick([11, 11, 15, 16]));
}

export function newShortId(prng: Prng): string {
  return prng.digits(prng.pick([9, 10]));
}

export function newSecUid(prng: Prng): string {
  return `MS4wLjABAAAA${prng.chars(prng.chance(0.7) ? 43 : 64, BASE64URL)}`;
}

/** The visitor/device id handed out by im/fetch (`wss_push_did`). */
export function newDeviceId(prng: Prng): string {
  return `7${prng.digits(18)}`;
}

export function newTtwid(prng: Prng, nowMs: number): string {
  return `1%7C${prng.chars(43, BASE64URL)}%7C${Math.floor(nowMs / 1000)}%7C${prng.chars(64, HEX)}`;
}

export function newMsToken(prng: Prng): string {
  return prng.chars(184, `${BASE64URL}=`);
}

/** `x-tt-logid`: Beijing time YYYYMMDDHHmmss followed by 20 upper-case hex digits. */
export function newTtLogId(prng: Prng, nowMs: number): string {
  const beijing = new Date(nowMs + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${beijing}${prng.chars(20, HEX).toUpperCase()}`;
}

/**
 * Snowflake-like 64-bit ids (msg_id, group_id): Unix seconds in the high 32 bits, then a
 * 12-bit slot (one per room) and a 20-bit counter, so ids are unique per slot unless one
 * second carries more than a million of them.
 */
export class IdSequence {
  private counter = 0;

  constructor(private readonly slot: number) {}

  next(nowMs: number): string {
    this.counter = (this.counter + 1) & 0xfffff;
    const low = (BigInt(this.slot & 0xfff) << 20n) | BigInt(this.counter);
    return ((BigInt(Math.floor(nowMs / 1000)) << 32n) | low).toString();
  }
}
