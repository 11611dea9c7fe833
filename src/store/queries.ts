// Every statement the store runs, written once against the Sql executor so PostgreSQL and
// PGlite execute identical SQL. Batches travel as parallel arrays through unnest(): one
// statement and a fixed parameter count however many rows; JSON documents go as one jsonb
// array (JsonDocuments) numbered by jsonb_array_elements(...) WITH ORDINALITY.
import type { RoomEventType } from '../domain/events.ts';
import type { Sql } from './sql.ts';
import { JsonDocuments, toNumber, toNumberOrNull } from './sql.ts';

export interface EventRow {
  roomId: string;
  msgId: string;
  type: RoomEventType;
  createdAt: number;
  userId: string | null;
  /** JSON text of the event. */
  body: string;
  /** The room lease epoch it was written under; null outside any lease. */
  epoch: number | null;
}

export interface InsertedRow {
  roomId: string;
  msgId: string;
  seq: number;
  isNew: boolean;
}

/**
 * Locks the rooms' heads (in id order, so concurrent writers cannot deadlock) and creates the
 * missing ones. Holding the lock until commit is what keeps each room's sequence gap-free and
 * makes the existence check in insertEvents exact.
 */
export async function lockRoomHeads(sql: Sql, roomIds: readonly string[]): Promise<void> {
  await sql.query(
    `INSERT INTO room_heads (room_id, last_seq)
     SELECT room_id, 0 FROM unnest($1::text[]) AS r(room_id) ORDER BY room_id
     ON CONFLICT (room_id) DO UPDATE SET last_seq = room_heads.last_seq`,
    [[...new Set(roomIds)].sort()],
  );
}

/** Inserts the rows not yet stored, numbering them after the room's head; rows must be unique per (room, msg). */
export async function insertEvents(sql: Sql, rows: readonly EventRow[]): Promise<InsertedRow[]> {
  const result = await sql.query<{ room_id: string; msg_id: string; seq: unknown; is_new: boolean }>(
    `WITH input AS (
       SELECT i.*, b.body
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::int8[])
         WITH ORDINALITY AS i(room_id, msg_id, type, created_at, user_id, epoch, ord)
       JOIN jsonb_array_elements($7::jsonb) WITH ORDINALITY AS b(body, ord) ON b.ord = i.ord
     ),
     existing AS (
       SELECT e.room_id, e.msg_id, e.seq
       FROM room_events e JOIN input i ON e.room_id = i.room_id AND e.msg_id = i.msg_id
     ),
     fresh AS (
       SELECT i.*, h.last_seq + row_number() OVER (PARTITION BY i.room_id ORDER BY i.ord) AS seq
       FROM input i JOIN room_heads h ON h.room_id = i.room_id
       WHERE NOT EXISTS (SELECT 1 FROM existing x WHERE x.room_id = i.room_id AND x.msg_id = i.msg_id)
     ),
     inserted AS (
       INSERT INTO room_events (room_id, seq, msg_id, type, created_at, user_id, body, epoch)
       SELECT room_id, seq, msg_id, type, created_at, user_id, body, epoch FROM fresh
       ON CONFLICT DO NOTHING
       RETURNING room_id, msg_id, seq
     ),
     advanced AS (
       UPDATE room_heads h SET last_seq = top.seq
       FROM (SELECT room_id, max(seq) AS seq FROM inserted GROUP BY room_id) top
       WHERE h.room_id = top.room_id
     )
     SELECT room_id, msg_id, seq, true AS is_new FROM inserted
     UNION ALL
     SELECT room_id, msg_id, seq, false AS is_new FROM existing`,
    [
      rows.map((row) => row.roomId),
      rows.map((row) => row.msgId),
      rows.map((row) => row.type),
      rows.map((row) => Math.trunc(row.createdAt)),
      rows.map((row) => row.userId),
      rows.map((row) => row.epoch),
      new JsonDocuments(rows.map((row) => row.body)),
    ],
  );
  return result.map((row) => ({ roomId: row.room_id, msgId: row.msg_id, seq: toNumber(row.seq), isNew: row.is_new }));
}

export interface EventFilter {
  roomId: string;
  afterSeq: number;
  types: readonly string[] | null;
  since: number | null;
  until: number | null;
  limit: number;
  /** Take the newest rows (read newest first; the caller puts them back in order). */
  newest?: boolean;
}

/** Only the conditions asked for go into the statement, so the planner can use the type index. */
export async function selectEvents(sql: Sql, filter: EventFilter): Promise<{ seq: number; body: Record<string, unknown> }[]> {
  const params: unknown[] = [filter.roomId, filter.afterSeq];
  const where = ['room_id = $1', 'seq > $2'];
  if (filter.types !== null) where.push(`type = ANY($${params.push(filter.types)}::text[])`);
  if (filter.since !== null) where.push(`created_at >= $${params.push(filter.since)}`);
  if (filter.until !== null) where.push(`created_at < $${params.push(filter.until)}`);
  const rows = await sql.query<{ seq: unknown; body: Record<string, unknown> }>(
    `SELECT seq, body FROM room_events WHERE ${where.join(' AND ')} ORDER BY seq${filter.newest === true ? ' DESC' : ''} LIMIT $${params.push(filter.limit)}`,
    params,
  );
  return rows.map((row) => ({ seq: toNumber(row.seq), body: row.body }));
}

export async function selectLatestSeq(sql: Sql, roomId: string): Promise<number | null> {
  const rows = await sql.query<{ seq: unknown }>('SELECT max(seq) AS seq FROM room_events WHERE room_id = $1', [roomId]);
  return toNumberOrNull(rows[0]?.seq);
}

export async function countEvents(sql: Sql, roomId: string): Promise<number> {
  const rows = await sql.query<{ n: unknown }>('SELECT count(*) AS n FROM room_events WHERE room_id = $1', [roomId]);
  return toNumber(rows[0]?.n);
}

export interface SnapshotRow {
  roomId: string;
  at: number;
  viewerCount: number | null;
  totalViewers: number | null;
  likeCount: number | null;
  status: string | null;
}

/**
 * Two snapshots at the same instant merge: a figure one of them lacks is taken from the other.
 * With an epoch a row is written only while that is the room's lease epoch (the lease row is
 * locked for share, so a takeover waits); returns the rooms and epochs the fence refused.
 */
export async function upsertSnapshots(sql: Sql, rows: readonly (SnapshotRow & { epoch: number | null })[]): Promise<{ roomId: string; epoch: number }[]> {
  if (rows.length === 0) return [];
  // One row per (room, instant), merged as the statement merges with a stored row (one INSERT
  // cannot touch a row twice), in room order so that two writers lock rooms alike.
  const byKey = new Map<string, SnapshotRow & { epoch: number | null }>();
  for (const row of rows) {
    const key = `${row.roomId}\u0001${row.at}`;
    const earlier = byKey.get(key);
    byKey.set(key, earlier === undefined ? row : mergeSnapshots(earlier, row));
  }
  const unique = [...byKey.values()].sort((a, b) => (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : a.at - b.at));
  const refused = await sql.query<{ room_id: string; epoch: unknown }>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::int8[], $6::text[], $7::int8[])
         AS s(room_id, at, viewer_count, total_viewers, like_count, status, epoch)
     ),
     fence AS (
       SELECT l.room_id, l.epoch FROM room_leases l JOIN input i ON l.room_id = i.room_id AND l.epoch = i.epoch
       FOR SHARE OF l
     ),
     saved AS (
       INSERT INTO room_snapshots (room_id, at, viewer_count, total_viewers, like_count, status)
       SELECT room_id, at, viewer_count, total_viewers, like_count, status FROM input i
       WHERE i.epoch IS NULL OR (i.room_id, i.epoch) IN (SELECT room_id, epoch FROM fence)
       ON CONFLICT (room_id, at) DO UPDATE SET
         viewer_count  = COALESCE(EXCLUDED.viewer_count, room_snapshots.viewer_count),
         total_viewers = COALESCE(EXCLUDED.total_viewers, room_snapshots.total_viewers),
         like_count    = COALESCE(EXCLUDED.like_count, room_snapshots.like_count),
         status        = COALESCE(EXCLUDED.status, room_snapshots.status)
     )
     SELECT DISTINCT room_id, epoch FROM input i
     WHERE i.epoch IS NOT NULL AND (i.room_id, i.epoch) NOT IN (SELECT room_id, epoch FROM fence)`,
    [
      unique.map((row) => row.roomId),
      unique.map((row) => Math.trunc(row.at)),
      unique.map((row) => row.viewerCount),
      unique.map((row) => row.totalViewers),
      unique.map((row) => row.likeCount),
      unique.map((row) => row.status),
      unique.map((row) => row.epoch),
    ],
  );
  return refused.map((row) => ({ roomId: row.room_id, epoch: toNumber(row.epoch) }));
}

function mergeSnapshots<Row extends SnapshotRow>(earlier: Row, later: Row): Row {
  return {
    ...later,
    viewerCount: later.viewerCount ?? earlier.viewerCount,
    totalViewers: later.totalViewers ?? earlier.totalViewers,
    likeCount: later.likeCount ?? earlier.likeCount,
    status: later.status ?? earlier.status,
  };
}

export async function selectSnapshots(sql: Sql, roomId: string, since: number, limit: number): Promise<SnapshotRow[]> {
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT * FROM (
       SELECT room_id, at, viewer_count, total_viewers, like_count, status FROM room_snapshots
       WHERE room_id = $1 AND at >= $2 ORDER BY at DESC LIMIT $3
     ) latest ORDER BY at`,
    [roomId, Math.trunc(since), limit],
  );
  return rows.map((row) => ({
    roomId: String(row.room_id),
    at: toNumber(row.at),
    viewerCount: toNumberOrNull(row.viewer_count),
    totalViewers: toNumberOrNull(row.total_viewers),
    likeCount: toNumberOrNull(row.like_count),
    status: row.status === null ? null : String(row.status),
  }));
}

export interface UserRow {
  id: string;
  secUid: string | null;
  /** JSON text of the profile. */
  profile: string;
}

/** Rows must be unique by id. A newer profile's nulls keep the stored values (jsonb_strip_nulls). */
export async function upsertUsers(sql: Sql, rows: readonly UserRow[], seenAt: number): Promise<void> {
  const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await sql.query(
    `INSERT INTO users (id, sec_uid, profile, seen_at)
     SELECT u.id, u.sec_uid, p.profile, $4
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(id, sec_uid, ord)
     JOIN jsonb_array_elements($3::jsonb) WITH ORDINALITY AS p(profile, ord) ON p.ord = u.ord
     ON CONFLICT (id) DO UPDATE SET
       sec_uid = COALESCE(EXCLUDED.sec_uid, users.sec_uid),
       profile = users.profile || jsonb_strip_nulls(EXCLUDED.profile),
       seen_at = GREATEST(users.seen_at, EXCLUDED.seen_at)`,
    [sorted.map((row) => row.id), sorted.map((row) => row.secUid), new JsonDocuments(sorted.map((row) => row.profile)), Math.trunc(seenAt)],
  );
}

export async function selectUserProfile(sql: Sql, key: { id: string } | { secUid: string }): Promise<Record<string, unknown> | null> {
  const rows =
    'id' in key
      ? await sql.query<{ profile: Record<string, unknown> }>('SELECT profile FROM users WHERE id = $1', [key.id])
      : await sql.query<{ profile: Record<string, unknown> }>(
          'SELECT profile FROM users WHERE sec_uid = $1 ORDER BY seen_at DESC LIMIT 1',
          [key.secUid],
        );
  return rows[0]?.profile ?? null;
}

export interface GiftRow {
  roomId: string;
  userId: string;
  giftId: string;
  count: number;
  diamonds: number;
  at: number;
}

/** Rows must be unique per (room, user, gift); they are written in key order to avoid deadlocks. */
export async function addGiftTotals(sql: Sql, rows: readonly GiftRow[]): Promise<void> {
  if (rows.length === 0) return;
  const key = (row: GiftRow) => `${row.roomId}\u0001${row.userId}\u0001${row.giftId}`;
  const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  await sql.query(
    `INSERT INTO gift_totals (room_id, user_id, gift_id, gift_count, diamonds, updated_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::int8[])
     ON CONFLICT (room_id, user_id, gift_id) DO UPDATE SET
       gift_count = gift_totals.gift_count + EXCLUDED.gift_count,
       diamonds   = gift_totals.diamonds + EXCLUDED.diamonds,
       updated_at = GREATEST(gift_totals.updated_at, EXCLUDED.updated_at)`,
    [
      sorted.map((row) => row.roomId),
      sorted.map((row) => row.userId),
      sorted.map((row) => row.giftId),
      sorted.map((row) => Math.trunc(row.count)),
      sorted.map((row) => Math.trunc(row.diamonds)),
      sorted.map((row) => Math.trunc(row.at)),
    ],
  );
}

export interface GifterRow {
  userId: string;
  giftCount: number;
  diamonds: number;
  profile: Record<string, unknown> | null;
}

export async function selectTopGifters(sql: Sql, roomId: string, limit: number): Promise<GifterRow[]> {
  const rows = await sql.query<{ user_id: string; gift_count: unknown; diamonds: unknown; profile: Record<string, unknown> | null }>(
    `SELECT t.user_id, t.gift_count, t.diamonds, u.profile
     FROM (
       SELECT user_id, sum(gift_count) AS gift_count, sum(diamonds) AS diamonds
       FROM gift_totals WHERE room_id = $1 GROUP BY user_id
     ) t LEFT JOIN users u ON u.id = t.user_id
     ORDER BY t.diamonds DESC, t.user_id
     LIMIT $2`,
    [roomId, limit],
  );
  return rows.map((row) => ({ userId: row.user_id, giftCount: toNumber(row.gift_count), diamonds: toNumber(row.diamonds), profile: row.profile }));
}

export interface EventTally {
  byType: { type: string; count: number }[];
  firstAt: number | null;
  lastAt: number | null;
}

export async function selectEventTally(sql: Sql, roomId: string): Promise<EventTally> {
  const rows = await sql.query<{ type: string; n: unknown; first_at: unknown; last_at: unknown }>(
    `SELECT type, count(*) AS n, min(created_at) AS first_at, max(created_at) AS last_at
     FROM room_events WHERE room_id = $1 GROUP BY type ORDER BY type`,
    [roomId],
  );
  const firsts = rows.map((row) => toNumber(row.first_at));
  const lasts = rows.map((row) => toNumber(row.last_at));
  return {
    byType: rows.map((row) => ({ type: row.type, count: toNumber(row.n) })),
    firstAt: firsts.length === 0 ? null : Math.min(...firsts),
    lastAt: lasts.length === 0 ? null : Math.max(...lasts),
  };
}

export interface AudienceFigures {
  uniqueChatters: number;
  likesTotal: number;
  giftDiamondsTotal: number;
  peakViewers: number | null;
  currentViewers: number | null;
}

/** Viewer figures come from snapshots and ViewerCountEvents alike: whichever is newest is "current". */
export async function selectAudienceFigures(sql: Sql, roomId: string): Promise<AudienceFigures> {
  const rows = await sql.query<Record<string, unknown>>(
    `WITH viewer_points AS (
       SELECT at, viewer_count AS viewers FROM room_snapshots WHERE room_id = $1 AND viewer_count IS NOT NULL
       UNION ALL
       SELECT created_at, (body->>'current')::int8 FROM room_events WHERE room_id = $1 AND type = 'ViewerCountEvent'
     )
     SELECT
       (SELECT count(DISTINCT user_id) FROM room_events
         WHERE room_id = $1 AND type IN ('ChatEvent', 'EmojiChatEvent') AND user_id IS NOT NULL) AS unique_chatters,
       (SELECT COALESCE(sum((body->>'count')::numeric), 0) FROM room_events
         WHERE room_id = $1 AND type = 'LikeEvent') AS likes_total,
       (SELECT COALESCE(sum(diamonds), 0) FROM gift_totals WHERE room_id = $1) AS gift_diamonds,
       (SELECT max(viewers) FROM viewer_points) AS peak_viewers,
       (SELECT viewers FROM viewer_points ORDER BY at DESC LIMIT 1) AS current_viewers`,
    [roomId],
  );
  const row = rows[0] ?? {};
  return {
    uniqueChatters: toNumber(row.unique_chatters),
    likesTotal: toNumber(row.likes_total),
    giftDiamondsTotal: toNumber(row.gift_diamonds),
    peakViewers: toNumberOrNull(row.peak_viewers),
    currentViewers: toNumberOrNull(row.current_viewers),
  };
}

// Retention deletes in chunks so no single transaction holds a huge delete.
const RETENTION_CHUNK = 5_000;

const RETENTION_DELETES = {
  events: `WITH doomed AS (SELECT room_id, seq FROM room_events WHERE created_at < $1 LIMIT $2),
             gone AS (DELETE FROM room_events e USING doomed d WHERE e.room_id = d.room_id AND e.seq = d.seq RETURNING 1)
           SELECT count(*) AS n FROM gone`,
  snapshots: `WITH doomed AS (SELECT room_id, at FROM room_snapshots WHERE at < $1 LIMIT $2),
                gone AS (DELETE FROM room_snapshots s USING doomed d WHERE s.room_id = d.room_id AND s.at = d.at RETURNING 1)
              SELECT count(*) AS n FROM gone`,
  giftTotals: `WITH doomed AS (SELECT room_id, user_id, gift_id FROM gift_totals WHERE updated_at < $1 LIMIT $2),
                 gone AS (DELETE FROM gift_totals g USING doomed d
                          WHERE g.room_id = d.room_id AND g.user_id = d.user_id AND g.gift_id = d.gift_id RETURNING 1)
               SELECT count(*) AS n FROM gone`,
  users: `WITH doomed AS (SELECT id FROM users WHERE seen_at < $1 LIMIT $2),
            gone AS (DELETE FROM users u USING doomed d WHERE u.id = d.id RETURNING 1)
          SELECT count(*) AS n FROM gone`,
} as const;

export type RetentionTable = keyof typeof RETENTION_DELETES;

export async function deleteOlderThan(sql: Sql, table: RetentionTable, cutoffMs: number): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await sql.query<{ n: unknown }>(RETENTION_DELETES[table], [Math.trunc(cutoffMs), RETENTION_CHUNK]);
    const deleted = toNumber(rows[0]?.n);
    total += deleted;
    if (deleted < RETENTION_CHUNK) return total;
  }
}

export interface ResumePointRow {
  roomId: string;
  cursor: string;
  internalExt: string;
  at: number;
}

/** Keeps the newer point; with an epoch, only while that is the room's lease epoch (false when fenced). */
export async function upsertResumePoint(sql: Sql, row: ResumePointRow, epoch: number | null = null): Promise<boolean> {
  const rows = await sql.query<{ fenced_ok: unknown }>(
    `WITH fence AS (
       SELECT 1 FROM room_leases WHERE $5::int8 IS NOT NULL AND room_id = $1 AND epoch = $5 FOR SHARE
     ),
     saved AS (
       INSERT INTO upstream_cursors (room_id, cursor, internal_ext, updated_at)
       SELECT $1::text, $2::text, $3::text, $4::int8
       WHERE $5::int8 IS NULL OR EXISTS (SELECT 1 FROM fence)
       ON CONFLICT (room_id) DO UPDATE SET cursor = EXCLUDED.cursor, internal_ext = EXCLUDED.internal_ext, updated_at = EXCLUDED.updated_at
       WHERE upstream_cursors.updated_at <= EXCLUDED.updated_at
     )
     SELECT $5::int8 IS NULL OR EXISTS (SELECT 1 FROM fence) AS fenced_ok`,
    [row.roomId, row.cursor, row.internalExt, row.at, epoch],
  );
  return rows[0]?.fenced_ok === true;
}

export async function selectResumePoint(sql: Sql, roomId: string): Promise<ResumePointRow | null> {
  const rows = await sql.query<{ cursor: string; internal_ext: string; updated_at: unknown }>(
    'SELECT cursor, internal_ext, updated_at FROM upstream_cursors WHERE room_id = $1',
    [roomId],
  );
  const row = rows[0];
  return row === undefined ? null : { roomId, cursor: row.cursor, internalExt: row.internal_ext, at: toNumber(row.updated_at) };
}

/** Stores `value` under `name` unless a value is already there; returns the stored one. */
export async function keepSetting(sql: Sql, name: string, value: string): Promise<string> {
  await sql.query('INSERT INTO gateway_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, value]);
  const rows = await sql.query<{ value: string }>('SELECT value FROM gateway_settings WHERE name = $1', [name]);
  return rows[0]?.value ?? value;
}
