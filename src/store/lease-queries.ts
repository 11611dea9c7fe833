// The statements behind room ownership: leases, cluster interest and the instance registry.
// Every decision about time uses the database's now(), never an instance's clock. Room ids are
// sorted before they reach a statement that locks rows, so two instances cannot deadlock.
import type { Sql } from './sql.ts';
import { toNumber } from './sql.ts';

export interface HeldLease {
  roomId: string;
  epoch: number;
}

/**
 * Takes or renews, in one statement, the lease of every room in `roomIds` that some instance is
 * still interested in: a lease this holder has is extended (same epoch); a lease that expired is
 * taken with the next epoch; a lease another holder keeps alive is left alone. Returns the
 * leases this holder has after the statement.
 */
export async function claimLeases(sql: Sql, holder: string, roomIds: readonly string[], ttlMs: number): Promise<HeldLease[]> {
  if (roomIds.length === 0) return [];
  const rows = await sql.query<{ room_id: string; epoch: unknown }>(
    `INSERT INTO room_leases (room_id, holder, epoch, expires_at)
     SELECT r.room_id, $2, 1, now() + $3 * interval '1 millisecond'
     FROM unnest($1::text[]) AS r(room_id)
     WHERE EXISTS (SELECT 1 FROM room_interest i WHERE i.room_id = r.room_id AND i.expires_at > now())
     ORDER BY r.room_id
     ON CONFLICT (room_id) DO UPDATE SET
       epoch = CASE WHEN room_leases.holder = EXCLUDED.holder THEN room_leases.epoch ELSE room_leases.epoch + 1 END,
       holder = EXCLUDED.holder,
       expires_at = EXCLUDED.expires_at
     WHERE room_leases.holder = EXCLUDED.holder OR room_leases.expires_at <= now()
     RETURNING room_id, epoch`,
    [[...new Set(roomIds)].sort(), holder, ttlMs],
  );
  return rows.map((row) => ({ roomId: row.room_id, epoch: toNumber(row.epoch) }));
}

/** How long, by the database's clock, until each room's current lease expires (0 when it has). */
export async function leaseExpiries(sql: Sql, roomIds: readonly string[]): Promise<Map<string, number>> {
  if (roomIds.length === 0) return new Map();
  const rows = await sql.query<{ room_id: string; remaining_ms: unknown }>(
    `SELECT room_id, greatest(0, extract(epoch FROM expires_at - now()) * 1000) AS remaining_ms
     FROM room_leases WHERE room_id = ANY($1::text[])`,
    [[...roomIds]],
  );
  return new Map(rows.map((row) => [row.room_id, Math.ceil(toNumber(row.remaining_ms))]));
}

/** Ends these leases now (only where this holder still has that epoch); the rows and epochs stay. */
export async function releaseLeases(sql: Sql, holder: string, leases: readonly HeldLease[]): Promise<void> {
  if (leases.length === 0) return;
  await sql.query(
    `UPDATE room_leases l SET expires_at = now()
     FROM unnest($2::text[], $3::int8[]) AS r(room_id, epoch)
     WHERE l.room_id = r.room_id AND l.epoch = r.epoch AND l.holder = $1 AND l.expires_at > now()`,
    [holder, leases.map((lease) => lease.roomId), leases.map((lease) => lease.epoch)],
  );
}

export interface InterestRow {
  roomId: string;
  /** The interest holds for this long from now. */
  forMs: number;
}

/** Records (or refreshes) this holder's interest in rooms; an interest ends when its time is up. */
export async function recordInterest(sql: Sql, holder: string, rows: readonly InterestRow[]): Promise<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0));
  await sql.query(
    `INSERT INTO room_interest (room_id, holder, expires_at)
     SELECT r.room_id, $1, now() + r.for_ms * interval '1 millisecond'
     FROM unnest($2::text[], $3::int8[]) AS r(room_id, for_ms)
     ON CONFLICT (room_id, holder) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
    [holder, sorted.map((row) => row.roomId), sorted.map((row) => Math.max(0, Math.trunc(row.forMs)))],
  );
}

/** Drops interest rows that ended long ago, so the table stays the size of what is watched. */
export async function forgetOldInterest(sql: Sql, olderThanMs: number): Promise<void> {
  await sql.query(`DELETE FROM room_interest WHERE expires_at < now() - $1 * interval '1 millisecond'`, [olderThanMs]);
}

export interface LiveInstance {
  instanceId: string;
  bus: string;
  startedAt: number;
}

/** Registers (or refreshes) this instance for `ttlMs`; returns the other instances still live. */
export async function heartbeatInstance(sql: Sql, holder: string, instanceId: string, bus: string, ttlMs: number): Promise<LiveInstance[]> {
  await sql.query(
    `INSERT INTO gateway_instances (holder, instance_id, bus, expires_at)
     VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
     ON CONFLICT (holder) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
    [holder, instanceId, bus, ttlMs],
  );
  const rows = await sql.query<{ instance_id: string; bus: string; started_ms: unknown }>(
    `SELECT instance_id, bus, extract(epoch FROM started_at) * 1000 AS started_ms
     FROM gateway_instances WHERE holder <> $1 AND expires_at > now() ORDER BY started_at`,
    [holder],
  );
  return rows.map((row) => ({ instanceId: row.instance_id, bus: row.bus, startedAt: Math.round(toNumber(row.started_ms)) }));
}

export async function removeInstance(sql: Sql, holder: string): Promise<void> {
  await sql.query('DELETE FROM gateway_instances WHERE holder = $1 OR expires_at < now() - interval \'1 day\'', [holder]);
}

/**
 * The fence: locks the leases of these rooms for share until the transaction ends (a takeover
 * waits for it) and returns the (room, epoch) pairs that are no longer current.
 */
export async function staleEpochs(sql: Sql, fences: readonly HeldLease[]): Promise<HeldLease[]> {
  if (fences.length === 0) return [];
  const rows = await sql.query<{ room_id: string; epoch: unknown }>(
    'SELECT room_id, epoch FROM room_leases WHERE room_id = ANY($1::text[]) ORDER BY room_id FOR SHARE',
    [[...new Set(fences.map((fence) => fence.roomId))].sort()],
  );
  const current = new Map(rows.map((row) => [row.room_id, toNumber(row.epoch)]));
  return fences.filter((fence) => current.get(fence.roomId) !== fence.epoch);
}
