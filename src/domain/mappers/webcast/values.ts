// Protobuf field values as the domain wants them: proto3 sends "" and 0 for fields never set.
import { count, isDecimalUint64, optionalId, type Uint64Like } from '../../ids.ts';

/** A string field, or null when Douyin left it empty. */
export function text(value: string | null | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : value;
}

/** A count, or null when it is 0 (proto3 cannot tell "none" from "not sent"). */
export function positive(value: Uint64Like): number | null {
  const n = count(value);
  return n > 0 ? n : null;
}

export function nonNegative(value: Uint64Like): number | null {
  const n = count(value);
  return n >= 0 ? n : null;
}

/** Standard base64 of bytes, without copying them. */
export function base64Of(bytes: Uint8Array | null | undefined): string {
  if (!(bytes instanceof Uint8Array)) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A float32 ratio as a readable number (0.30000001192 → 0.3), or null when 0 or not finite. */
export function ratio(value: number | null | undefined): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value === 0) return null;
  return Math.round(value * 1e6) / 1e6;
}

/** Decimal ids of a repeated id field, the zeros left out. */
export function idList(values: readonly Uint64Like[] | null | undefined): string[] {
  const ids: string[] = [];
  for (const value of values ?? []) {
    const id = optionalId(value);
    if (id !== null) ids.push(id);
  }
  return ids;
}

/** An id from its uint64 field, else from its decimal-string twin (box_id_str, user_id_str…). */
export function idOrText(id: Uint64Like, idText: string | null | undefined): string | null {
  const trimmed = idText?.trim() ?? '';
  return optionalId(id) ?? (isDecimalUint64(trimmed) ? trimmed : null);
}
