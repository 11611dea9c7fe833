// Protobuf field values as the domain wants them: proto3 sends "" and 0 for fields never set.
import { count, type Uint64Like } from '../../ids.ts';

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
