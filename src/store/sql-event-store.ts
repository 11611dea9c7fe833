// EventStore over any SqlEngine: argument checks, transactions and row mapping. The engines
// (pg-store.ts, pglite-store.ts) only supply connections.
import type { RoomEvent, RoomEventType } from '../domain/events.ts';
import type { User } from '../domain/model.ts';
import { encodeCursor } from './cursor.ts';
import { giftLedgerRows, storableJson, storableText, storedBody, sumGiftRows } from './derive.ts';
import { FencedError, StoreError, storeCall } from './errors.ts';
import type {
  EventPage,
  EventStore,
  GifterTotal,
  GiftTotalRow,
  RetentionResult,
  RoomSnapshot,
  RoomStats,
  SnapshotWrite,
  StoredEventRef,
} from './event-store.ts';
import { runMigrations } from './migrations.ts';
import { staleEpochs } from './lease-queries.ts';
import * as q from './queries.ts';
import type { Sql, SqlEngine } from './sql.ts';
import {
  MAX_PAGE_SIZE,
  checkEvent,
  checkGiftRow,
  checkLimit,
  checkRoomId,
  checkSnapshot,
  checkTime,
  checkUser,
  checkUserKey,
  eventFilter,
  snapshotQuery,
} from './validate.ts';

// As many as LiveRoom.stats.topGifters(first) may ask for (0-100); a smaller cut silently capped it.
const TOP_GIFTERS_IN_STATS = 100;

/**
 * Runs inside appendEvents' transaction with the events stored for the first time, so what it
 * writes (the webhook outbox) commits or rolls back with them.
 */
export type AppendHook = (sql: Sql, fresh: readonly RoomEvent[]) => Promise<void>;

export interface SqlEventStoreOptions {
  /** Read at every append, so the hook can be installed after the store is opened. */
  appendHook?: () => AppendHook | null;
}

export function createSqlEventStore(engine: SqlEngine, options: SqlEventStoreOptions = {}): EventStore {
  let closed = false;

  async function run<T>(doing: string, work: () => Promise<T>): Promise<T> {
    if (closed) throw new StoreError('CLOSED', `${doing}: the store is closed`);
    return storeCall(doing, work);
  }

  async function saveSnapshots(writes: readonly SnapshotWrite[]): Promise<{ roomId: string; epoch: number }[]> {
    for (const { roomId, snapshot } of writes) {
      checkRoomId(roomId);
      checkSnapshot(snapshot);
    }
    const rows = writes.map(({ roomId, snapshot, epoch }) => ({ roomId, ...snapshot, epoch }));
    return run('saveSnapshots', () => q.upsertSnapshots(engine, rows));
  }

  return {
    migrate: () => run('migrate', async () => void (await runMigrations(engine))),

    appendEvents: async (events, appendOptions = {}) => {
      if (events.length === 0) return [];
      events.forEach(checkEvent);
      const epochs = appendOptions.epochs ?? [];
      const unique = firstOfEachKey(events.map((event, i) => ({ event, epoch: epochs[i] ?? null })));
      const uniqueEvents = unique.map((entry) => entry.event);
      const stored = await run('appendEvents', () =>
        engine.transaction(async (sql) => {
          // The fence first: a stale epoch writes nothing, and the shared lock keeps a takeover
          // from committing between this check and the insert.
          const stale = await staleEpochs(sql, fencesOf(unique));
          if (stale.length > 0) throw new FencedError(stale);
          await q.lockRoomHeads(sql, uniqueEvents.map((event) => event.roomId));
          const rows = await q.insertEvents(sql, unique.map(toEventRow));
          const fresh = new Set(rows.filter((row) => row.isNew).map((row) => eventKey(row.roomId, row.msgId)));
          // Counted in the same transaction as the events, so a gift stored is a gift counted, once.
          const newGifts = uniqueEvents.filter((event) => event.type === 'GiftEvent' && fresh.has(eventKey(event.roomId, event.id)));
          await q.addGiftTotals(sql, giftLedgerRows(newGifts).map(toGiftRow));
          const hook = options.appendHook?.() ?? null;
          if (hook !== null && fresh.size > 0) await hook(sql, uniqueEvents.filter((event) => fresh.has(eventKey(event.roomId, event.id))));
          return rows;
        }),
      );
      return refsInInputOrder(events, stored);
    },

    listEvents: async (roomId, options) => {
      checkRoomId(roomId);
      const filter = eventFilter(roomId, options);
      const rows = await run('listEvents', () => q.selectEvents(engine, { ...filter, limit: filter.limit + 1 }));
      const newest = filter.newest === true;
      // The newest page is read newest first and put back in order; nothing newer is left for a next page.
      const page = newest ? rows.slice(0, filter.limit).reverse() : rows.slice(0, filter.limit);
      const events = page.map((row) => ({ ...row.body, cursor: encodeCursor(roomId, row.seq) }) as unknown as RoomEvent);
      return { events, hasNextPage: !newest && rows.length > filter.limit, endCursor: events.at(-1)?.cursor ?? null } satisfies EventPage;
    },

    latestCursor: async (roomId) => {
      checkRoomId(roomId);
      const seq = await run('latestCursor', () => q.selectLatestSeq(engine, roomId));
      return seq === null ? null : encodeCursor(roomId, seq);
    },

    saveResumePoint: async (roomId, point, epoch = null) => {
      checkRoomId(roomId);
      const written = await run('saveResumePoint', () => q.upsertResumePoint(engine, { roomId, ...point }, epoch));
      if (!written && epoch !== null) throw new FencedError([{ roomId, epoch }]);
    },

    resumePoint: async (roomId) => {
      checkRoomId(roomId);
      const row = await run('resumePoint', () => q.selectResumePoint(engine, roomId));
      return row === null ? null : { cursor: row.cursor, internalExt: row.internalExt, at: row.at };
    },

    keepSetting: async (name, proposed) => run('keepSetting', () => q.keepSetting(engine, name, proposed)),

    countEvents: async (roomId) => {
      checkRoomId(roomId);
      return run('countEvents', () => q.countEvents(engine, roomId));
    },

    saveSnapshot: async (roomId, snapshot, epoch = null) => {
      const refused = await saveSnapshots([{ roomId, snapshot, epoch }]);
      if (refused.length > 0) throw new FencedError(refused);
    },

    saveSnapshots,

    snapshots: async (roomId, query) => {
      checkRoomId(roomId);
      const { since, limit } = snapshotQuery(query);
      const rows = await run('snapshots', () => q.selectSnapshots(engine, roomId, since, limit));
      return rows.map((row) => ({ ...row, status: row.status as RoomSnapshot['status'] }));
    },

    upsertUsers: async (users, seenAt = Date.now()) => {
      if (users.length === 0) return;
      users.forEach(checkUser);
      checkTime(seenAt, 'seenAt');
      const latest = new Map(users.map((user) => [user.id, user]));
      const rows = [...latest.values()].map((user) => ({ id: user.id, secUid: user.secUid, profile: storableJson(user) }));
      await run('upsertUsers', () => q.upsertUsers(engine, rows, seenAt));
    },

    getUser: async (key) => {
      const profile = await run('getUser', () => q.selectUserProfile(engine, checkUserKey(key)));
      return profile as User | null;
    },

    addGiftTotals: async (rows) => {
      rows.forEach(checkGiftRow);
      await run('addGiftTotals', () => q.addGiftTotals(engine, sumGiftRows(rows).map(toGiftRow)));
    },

    topGifters: async (roomId, limit) => {
      checkRoomId(roomId);
      checkLimit(limit, 'limit', MAX_PAGE_SIZE);
      const rows = await run('topGifters', () => q.selectTopGifters(engine, roomId, limit));
      return rows.map(toGifterTotal);
    },

    roomStats: async (roomId) => {
      checkRoomId(roomId);
      return run('roomStats', async () => {
        const tally = await q.selectEventTally(engine, roomId);
        const audience = await q.selectAudienceFigures(engine, roomId);
        const top = await q.selectTopGifters(engine, roomId, TOP_GIFTERS_IN_STATS);
        return roomStats(roomId, tally, audience, top.map(toGifterTotal));
      });
    },

    deleteOlderThan: async (cutoffMs) => {
      checkTime(cutoffMs, 'cutoffMs');
      return run('deleteOlderThan', async () => {
        const result: RetentionResult = { events: 0, snapshots: 0, giftTotals: 0, users: 0 };
        for (const table of ['events', 'snapshots', 'giftTotals', 'users'] as const) {
          result[table] = await q.deleteOlderThan(engine, table, cutoffMs);
        }
        return result;
      });
    },

    close: async () => {
      if (closed) return;
      closed = true;
      await engine.close();
    },
  };
}

function roomStats(roomId: string, tally: q.EventTally, audience: q.AudienceFigures, topGifters: GifterTotal[]): RoomStats {
  const messagesByType: RoomStats['messagesByType'] = {};
  for (const { type, count } of tally.byType) messagesByType[type as RoomEventType] = count;
  return {
    roomId,
    messagesByType,
    totalMessages: tally.byType.reduce((sum, entry) => sum + entry.count, 0),
    uniqueChatters: audience.uniqueChatters,
    likesTotal: audience.likesTotal,
    follows: messagesByType.FollowEvent ?? 0,
    giftDiamondsTotal: audience.giftDiamondsTotal,
    topGifters,
    peakViewers: audience.peakViewers,
    currentViewers: audience.currentViewers,
    firstEventAt: tally.firstAt,
    lastEventAt: tally.lastAt,
  };
}

const eventKey = (roomId: string, msgId: string) => `${roomId}\u0001${msgId}`;

interface EpochEvent {
  event: RoomEvent;
  epoch: number | null;
}

/** The distinct (room, epoch) pairs the batch was written under. */
function fencesOf(entries: readonly EpochEvent[]): { roomId: string; epoch: number }[] {
  const fences = new Map<string, { roomId: string; epoch: number }>();
  for (const { event, epoch } of entries) if (epoch !== null) fences.set(`${event.roomId}\u0001${epoch}`, { roomId: event.roomId, epoch });
  return [...fences.values()];
}

/** A message twice in one batch is stored once: the first copy is the one written. */
function firstOfEachKey(entries: readonly EpochEvent[]): EpochEvent[] {
  const seen = new Set<string>();
  return entries.filter(({ event }) => {
    const key = eventKey(event.roomId, event.id);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function refsInInputOrder(events: readonly RoomEvent[], stored: readonly q.InsertedRow[]): StoredEventRef[] {
  const byKey = new Map(stored.map((row) => [eventKey(row.roomId, row.msgId), row]));
  const reported = new Set<string>();
  return events.map((event) => {
    const key = eventKey(event.roomId, event.id);
    const row = byKey.get(key);
    if (row === undefined) throw new StoreError('STORE_UNAVAILABLE', `event ${event.id} of room ${event.roomId} was not stored`);
    const isNew = row.isNew && !reported.has(key);
    reported.add(key);
    return { roomId: event.roomId, id: event.id, cursor: encodeCursor(event.roomId, row.seq), isNew };
  });
}

function toEventRow({ event, epoch }: EpochEvent): q.EventRow {
  const userId = event.user?.id;
  return {
    roomId: event.roomId,
    msgId: event.id,
    type: event.type,
    createdAt: event.createdAt,
    userId: userId === undefined || userId === '' ? null : storableText(userId),
    body: storedBody(event),
    epoch,
  };
}

function toGiftRow(row: GiftTotalRow): q.GiftRow {
  return { roomId: row.roomId, userId: row.userId, giftId: row.giftId, count: row.count, diamonds: row.diamonds, at: row.at ?? Date.now() };
}

function toGifterTotal(row: q.GifterRow): GifterTotal {
  return { userId: row.userId, user: row.profile as User | null, giftCount: row.giftCount, diamonds: row.diamonds };
}

