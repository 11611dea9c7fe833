// Per-operation DataLoaders over the upstream: every room, rank list, product list and gift
// catalogue is fetched once per operation however often the query names it, and live status
// for every room of an operation is one upstream call. Loaders hang off the context through
// Pothos' context cache, so a fresh context means fresh loaders.
import { createContextCache } from '@pothos/core';
import { clearAllDataLoaders } from '@pothos/plugin-dataloader';
import DataLoader from 'dataloader';
import type { PromotionQuery, RankListQuery } from '../collectors/douyin-api.ts';
import type { RoomRef } from '../domain/ids.ts';
import type { Gift, LiveRoom, PromotionList, RankList } from '../domain/model.ts';
import type { SchemaContext } from './context.ts';
import { callPort, toCodedError } from './errors.ts';

const registered: { delete: (context: SchemaContext) => void }[] = [];

function perContext<K, V, C = K>(create: (context: SchemaContext) => DataLoader<K, V, C>) {
  const get = createContextCache(create);
  registered.push(get);
  return get;
}

/** One result per key, failures as coded errors so DataLoader rejects just that key. */
function eachKey<K, V>(keys: readonly K[], fetch: (key: K) => Promise<V>): Promise<(V | Error)[]> {
  return Promise.all(
    keys.map((key) =>
      fetch(key).catch((error: unknown) => {
        const coded = toCodedError(error);
        return coded instanceof Error ? coded : new Error(String(coded));
      }),
    ),
  );
}

// web_rid and room_id loaders prime each other: a room fetched by one is known by the other.
// A room fetched by room_id only stands for its web_rid while that broadcast has not ended,
// since a web_rid always means the anchor's current broadcast.
const roomsById = perContext(
  (context) =>
    new DataLoader<string, LiveRoom>(async (roomIds) => {
      const rooms = await eachKey(roomIds, (roomId) => context.douyin.roomByRoomId(roomId));
      for (const room of rooms) if (!(room instanceof Error) && room.status !== 'ENDED') primeWebRid(context, room);
      return rooms;
    }),
);

const roomsByWebRid = perContext(
  (context) =>
    new DataLoader<string, LiveRoom>(async (webRids) => {
      const rooms = await eachKey(webRids, (webRid) => context.douyin.roomByWebRid(webRid));
      for (const room of rooms) if (!(room instanceof Error)) roomsById(context).prime(room.id, room);
      return rooms;
    }),
);

function primeWebRid(context: SchemaContext, room: LiveRoom): void {
  if (room.webRid !== null) roomsByWebRid(context).prime(room.webRid, room);
}

export function loadRoom(context: SchemaContext, ref: RoomRef): Promise<LiveRoom> {
  return ref.kind === 'roomId' ? roomsById(context).load(ref.roomId) : roomsByWebRid(context).load(ref.webRid);
}

/** Rooms that arrived some other way (the feed) are live now: known by both ids. */
export function primeRooms(context: SchemaContext, rooms: readonly LiveRoom[]): void {
  for (const room of rooms) {
    roomsById(context).prime(room.id, room);
    primeWebRid(context, room);
  }
}

/** Batch function of the live-status loader (a Pothos loadable field): one upstream call. */
export async function loadLiveStatuses(roomIds: readonly string[], context: SchemaContext): Promise<(boolean | null)[]> {
  const statuses = await callPort(() => context.douyin.liveStatus(roomIds));
  const byRoom = new Map(statuses.map((status) => [status.roomId, status.isLive]));
  return roomIds.map((roomId) => byRoom.get(roomId) ?? null);
}

export const rankLists = perContext(
  (context) =>
    new DataLoader<RankListQuery, RankList, string>(
      (queries) => eachKey(queries, (query) => context.douyin.rankList(query)),
      { cacheKeyFn: (query) => query.roomId },
    ),
);

export const promotionLists = perContext(
  (context) =>
    new DataLoader<PromotionQuery, PromotionList, string>(
      (queries) => eachKey(queries, (query) => context.douyin.promotions(query)),
      { cacheKeyFn: (query) => query.roomId },
    ),
);

export const giftCatalogs = perContext(
  (context) => new DataLoader<string, Gift[]>((roomIds) => eachKey(roomIds, (roomId) => context.douyin.giftCatalog(roomId))),
);

/**
 * Forgets everything loaded under this context. A subscription keeps one context for its whole
 * life, so it calls this before each event to never serve data older than the event. Dropping
 * the loaders (not clearing them) keeps an event that selects no upstream field from building any.
 */
export function resetLoaders(context: SchemaContext): void {
  clearAllDataLoaders(context);
  for (const loaders of registered) loaders.delete(context);
}

/** room_ids as given; web_rids through the room loader (one upstream call each, deduplicated). */
export async function resolveRoomIds(context: SchemaContext, refs: readonly RoomRef[]): Promise<string[]> {
  return Promise.all(refs.map(async (ref) => (ref.kind === 'roomId' ? ref.roomId : (await loadRoom(context, ref)).id)));
}
