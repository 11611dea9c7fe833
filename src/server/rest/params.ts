// Reading and checking vendor parameters. Every check runs before any upstream call, and a bad
// value is a 400 naming the parameter.
import { isDecimalUint64, isRoomId, parseRoomRef, type RoomRef } from '../../domain/ids.ts';
import { badRequest } from './errors.ts';

export interface Params {
  get(name: string): string | null;
}

/** Status checks per request; the HTTP client splits them into upstream calls of 50. */
export const MAX_STATUS_ROOMS = 100;

const SEC_UID = /^[A-Za-z0-9_-]{1,200}$/;

function value(params: Params, name: string): string | null {
  const raw = params.get(name)?.trim() ?? '';
  return raw === '' ? null : raw;
}

function shown(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** A 19-digit room_id (a broadcast); web_rids are refused here because these routes need a broadcast. */
export function requireRoomId(params: Params, name = 'room_id'): string {
  const text = value(params, name);
  if (text === null) throw badRequest(`${name} is required`);
  if (!isRoomId(text)) throw badRequest(`${name} must be a room id of 17 or more digits, got ${shown(text)}`);
  return text;
}

/** A room_id, or an anchor's web_rid (up to 16 digits), as the info route accepts both. */
export function requireRoomRef(params: Params, name = 'room_id'): RoomRef {
  const text = value(params, name);
  if (text === null) throw badRequest(`${name} is required`);
  const ref = parseRoomRef(text);
  if (ref === null) throw badRequest(`${name} must be a room id (or a web_rid) in decimal digits, got ${shown(text)}`);
  return ref;
}

/** Comma-separated room ids, de-duplicated in the order given. */
export function requireRoomIdList(params: Params, name = 'room_id'): string[] {
  const text = value(params, name);
  if (text === null) throw badRequest(`${name} is required (comma-separated room ids)`);
  const ids = [...new Set(text.split(',').map((part) => part.trim()).filter((part) => part !== ''))];
  const bad = ids.filter((id) => !isRoomId(id));
  if (bad.length > 0) throw badRequest(`${name} must list room ids of 17 or more digits; not room ids: ${bad.slice(0, 5).map(shown).join(', ')}`);
  if (ids.length === 0) throw badRequest(`${name} is required (comma-separated room ids)`);
  if (ids.length > MAX_STATUS_ROOMS) throw badRequest(`${name} lists ${ids.length} rooms; at most ${MAX_STATUS_ROOMS} per request`);
  return ids;
}

/** An optional user id (uid), such as anchor_id. */
export function optionalUserId(params: Params, name: string): string | null {
  const text = value(params, name);
  if (text === null) return null;
  if (!isDecimalUint64(text)) throw badRequest(`${name} must be a user id in decimal digits, got ${shown(text)}`);
  return text;
}

/** An optional sec_uid (MS4wLjABAAAA…). */
export function optionalSecUid(params: Params, name: string): string | null {
  const text = value(params, name);
  if (text === null) return null;
  if (!SEC_UID.test(text)) throw badRequest(`${name} must be a sec_uid (letters, digits, - and _), got ${shown(text)}`);
  return text;
}
