// Argument checks for the store and the ingest writer: each throws a StoreError with a code
// before the database is touched, so bad input never reaches SQL or spoils a batch.
import { ROOM_EVENT_TYPES, type RoomEvent } from '../domain/events.ts';
import type { User } from '../domain/model.ts';
import { decodeCursor, isStorableRoomId } from './cursor.ts';
import { StoreError } from './errors.ts';
import type { GiftTotalRow, ListEventsOptions, SnapshotInput, SnapshotQuery, UserKey } from './event-store.ts';
import type { EventFilter } from './queries.ts';

export const MAX_PAGE_SIZE = 1000;
export const MAX_SNAPSHOTS = 10_000;
const EVENT_TYPES = new Set<string>(ROOM_EVENT_TYPES);
const ROOM_STATUSES = new Set(['PREPARING', 'LIVE', 'PAUSED', 'ENDED', 'UNKNOWN']);

function badEvent(event: unknown, why: string): never {
  const id = typeof event === 'object' && event !== null && 'id' in event ? String((event as { id: unknown }).id).slice(0, 64) : '?';
  throw new StoreError('BAD_EVENT', `cannot store event ${JSON.stringify(id)}: ${why}`);
}

const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkEvent(event: RoomEvent): void {
  if (typeof event !== 'object' || event === null) badEvent(event, 'not an object');
  if (!isStorableRoomId(event.roomId)) badEvent(event, 'roomId must be 1-64 characters of [0-9A-Za-z_.-]');
  if (typeof event.id !== 'string' || event.id === '' || event.id.length > 256 || CONTROL.test(event.id)) {
    badEvent(event, 'id must be a non-empty string of up to 256 printable characters');
  }
  if (!EVENT_TYPES.has(event.type)) badEvent(event, `unknown type ${JSON.stringify(event.type)}`);
  if (!Number.isFinite(event.createdAt) || event.createdAt < 0 || event.createdAt > 253402300800000) {
    badEvent(event, 'createdAt must be a time in ms');
  }
  if (event.user !== null && (typeof event.user !== 'object' || typeof event.user.id !== 'string')) badEvent(event, 'user.id must be a string');
}

export function checkRoomId(roomId: string): void {
  if (!isStorableRoomId(roomId)) throw new StoreError('BAD_ARGUMENT', `not a room id: ${JSON.stringify(String(roomId).slice(0, 80))}`);
}

export function checkLimit(value: number, name: string, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new StoreError('BAD_ARGUMENT', `${name} must be an integer from 1 to ${max}, got ${String(value)}`);
  }
}

export function checkTime(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new StoreError('BAD_ARGUMENT', `${name} must be a time in ms`);
}

function optionalTime(value: number | null | undefined, name: string): number | null {
  if (value === null || value === undefined) return null;
  checkTime(value, name);
  return Math.trunc(value);
}

export function eventFilter(roomId: string, options: ListEventsOptions): EventFilter {
  checkLimit(options.first, 'first', MAX_PAGE_SIZE);
  let afterSeq = 0;
  if (options.after !== null && options.after !== undefined) {
    const position = decodeCursor(options.after);
    if (position.roomId !== roomId) throw new StoreError('BAD_CURSOR', `the cursor belongs to room ${position.roomId}, not ${roomId}`);
    afterSeq = position.seq;
  }
  const types = options.types ?? null;
  const unknown = types?.find((type) => !EVENT_TYPES.has(type));
  if (unknown !== undefined) throw new StoreError('BAD_ARGUMENT', `unknown event type ${JSON.stringify(unknown)}`);
  return {
    roomId,
    afterSeq,
    types: types === null ? null : [...types],
    since: optionalTime(options.since, 'since'),
    until: optionalTime(options.until, 'until'),
    limit: options.first,
    newest: options.newest === true,
  };
}

export function snapshotQuery(query: SnapshotQuery): { since: number; limit: number } {
  checkLimit(query.limit, 'limit', MAX_SNAPSHOTS);
  return { since: optionalTime(query.since, 'since') ?? 0, limit: query.limit };
}

export function checkSnapshot(snapshot: SnapshotInput): void {
  checkTime(snapshot.at, 'at');
  for (const name of ['viewerCount', 'totalViewers', 'likeCount'] as const) {
    const value = snapshot[name];
    if (value !== null && (!Number.isFinite(value) || value < 0)) throw new StoreError('BAD_ARGUMENT', `${name} must be a count or null`);
  }
  if (snapshot.status !== null && !ROOM_STATUSES.has(snapshot.status)) {
    throw new StoreError('BAD_ARGUMENT', `unknown room status ${JSON.stringify(snapshot.status)}`);
  }
}

export function checkUser(user: User): void {
  if (typeof user !== 'object' || user === null || typeof user.id !== 'string' || user.id === '' || CONTROL.test(user.id)) {
    throw new StoreError('BAD_EVENT', 'a user needs a non-empty printable id');
  }
}

export function checkUserKey(key: UserKey): UserKey {
  const value = 'id' in key ? key.id : key.secUid;
  if (typeof value !== 'string' || value === '') throw new StoreError('BAD_ARGUMENT', 'a user is looked up by a non-empty id or secUid');
  return key;
}

export function checkGiftRow(row: GiftTotalRow): void {
  checkRoomId(row.roomId);
  if (typeof row.userId !== 'string' || row.userId === '' || typeof row.giftId !== 'string' || row.giftId === '') {
    throw new StoreError('BAD_ARGUMENT', 'a gift ledger row needs a user id and a gift id');
  }
  if (!Number.isSafeInteger(row.count) || row.count < 0 || !Number.isSafeInteger(row.diamonds) || row.diamonds < 0) {
    throw new StoreError('BAD_ARGUMENT', 'gift count and diamonds must be whole, non-negative numbers');
  }
}
