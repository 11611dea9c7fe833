// Argument checks that run before any port is called: bad input is the client's error, coded
// BAD_USER_INPUT, and never costs an upstream request.
import { isDecimalUint64, isRoomId, parseRoomRef, type RoomRef } from '../domain/ids.ts';
import type { UserKey } from '../store/event-store.ts';
import { badUserInput } from './errors.ts';

/** Either kind of room id: 17+ digits is a room_id, up to 16 a web_rid (protocol §1.1). */
export function roomRefArg(value: string, argument: string): RoomRef {
  const ref = parseRoomRef(value);
  if (ref === null) {
    throw badUserInput(`${argument}: ${JSON.stringify(value.slice(0, 40))} is neither a room_id nor a web_rid (a positive decimal number)`, argument);
  }
  return ref;
}

/** `liveRoom(roomId:, webRid:)`: exactly one, each of its own kind. */
export function singleRoomRefArg(args: { roomId?: string | null; webRid?: string | null }): RoomRef {
  const { roomId, webRid } = args;
  if ((roomId == null) === (webRid == null)) throw badUserInput('give exactly one of roomId and webRid');
  if (roomId != null) {
    if (!isRoomId(roomId.trim())) {
      throw badUserInput(`roomId: ${JSON.stringify(roomId.slice(0, 40))} is not a room_id (17–20 digits); a shorter number is a web_rid`, 'roomId');
    }
    return { kind: 'roomId', roomId: roomId.trim() };
  }
  const ref = roomRefArg(webRid as string, 'webRid');
  if (ref.kind !== 'webRid') throw badUserInput('webRid: that is a room_id (17+ digits); pass it as roomId', 'webRid');
  return ref;
}

export const MAX_ROOMS_PER_QUERY = 100;

export function roomRefsArg(ids: readonly string[], argument: string): RoomRef[] {
  if (ids.length > MAX_ROOMS_PER_QUERY) {
    throw badUserInput(`${argument}: at most ${MAX_ROOMS_PER_QUERY} rooms per query, got ${ids.length}`, argument);
  }
  return ids.map((id) => roomRefArg(id, argument));
}

/** A page size or list length: within [min, max]. */
export function boundedIntArg(value: number, argument: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badUserInput(`${argument} must be between ${min} and ${max}, got ${value}`, argument);
  }
  return value;
}

const SEC_UID = /^[A-Za-z0-9_-]{8,200}$/;

/** The user an `id` or `secUid` argument names, as the store looks users up. */
export function userKeyArg(args: { id?: string | null; secUid?: string | null }): UserKey {
  const { id, secUid } = args;
  if ((id == null) === (secUid == null)) throw badUserInput('give exactly one of id and secUid');
  if (id != null) {
    if (!isDecimalUint64(id)) throw badUserInput(`id: ${JSON.stringify(id.slice(0, 40))} is not a user id (a positive decimal number)`, 'id');
    return { id };
  }
  if (!SEC_UID.test(secUid as string)) throw badUserInput('secUid: not a sec_uid (8–200 characters of A–Z, a–z, 0–9, _ and -)', 'secUid');
  return { secUid: secUid as string };
}
