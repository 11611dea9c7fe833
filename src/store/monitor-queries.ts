// The statements behind watches, webhooks and the webhook outbox, written once against the Sql
// executor so PostgreSQL and PGlite run identical SQL. Functions that take `sql` run on whatever
// connection they are given: the trigger uses them inside the event-append transaction.
import type { Sql } from './sql.ts';
import { toNumber, toNumberOrNull } from './sql.ts';

export interface WatchRow {
  id: string;
  kind: string;
  target: string;
  label: string | null;
  createdAt: number;
  /** The upstream pool cookie (by id) the watch's room must stream through; null for any. */
  pinCookie: string | null;
  /** The upstream pool proxy (by id) the watch's room must stream through; null for any. */
  pinProxy: string | null;
}

export interface WebhookRow {
  id: string;
  url: string;
  secret: string;
  filter: unknown;
  createdAt: number;
  disabledAt: number | null;
  disabledReason: string | null;
}

export interface DeliveryInsert {
  id: string;
  webhookId: string;
  type: string;
  payload: string;
  createdAt: number;
  expiresAt: number;
}

export interface DeliveryRow {
  seq: number;
  id: string;
  webhookId: string;
  type: string;
  payload: string;
  status: string;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  expiresAt: number;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

export interface ClaimedRow extends DeliveryRow {
  url: string;
  secret: string;
}

type RawRow = Record<string, unknown>;

const DELIVERY_COLUMNS = `d.seq, d.id, d.webhook_id, d.type, d.payload, d.status, d.attempts, d.created_at, d.next_attempt_at,
  d.expires_at, d.last_attempt_at, d.last_status, d.last_error, d.delivered_at`;

function toWatch(row: RawRow): WatchRow {
  return {
    id: String(row.id),
    kind: String(row.kind),
    target: String(row.target),
    label: (row.label as string | null) ?? null,
    createdAt: toNumber(row.created_at),
    pinCookie: (row.pin_cookie as string | null) ?? null,
    pinProxy: (row.pin_proxy as string | null) ?? null,
  };
}

function toWebhook(row: RawRow): WebhookRow {
  return {
    id: String(row.id),
    url: String(row.url),
    secret: String(row.secret),
    filter: typeof row.filter === 'string' ? JSON.parse(row.filter) : row.filter,
    createdAt: toNumber(row.created_at),
    disabledAt: toNumberOrNull(row.disabled_at),
    disabledReason: (row.disabled_reason as string | null) ?? null,
  };
}

function toDelivery(row: RawRow): DeliveryRow {
  return {
    seq: toNumber(row.seq),
    id: String(row.id),
    webhookId: String(row.webhook_id),
    type: String(row.type),
    payload: String(row.payload),
    status: String(row.status),
    attempts: toNumber(row.attempts),
    createdAt: toNumber(row.created_at),
    nextAttemptAt: toNumber(row.next_attempt_at),
    expiresAt: toNumber(row.expires_at),
    lastAttemptAt: toNumberOrNull(row.last_attempt_at),
    lastStatus: toNumberOrNull(row.last_status),
    lastError: (row.last_error as string | null) ?? null,
    deliveredAt: toNumberOrNull(row.delivered_at),
  };
}

/** Inserts the watch unless one on the same target exists; returns the stored one either way. */
export async function insertWatch(sql: Sql, watch: WatchRow): Promise<{ row: WatchRow; created: boolean }> {
  const inserted = await sql.query<RawRow>(
    `INSERT INTO watches (id, kind, target, label, created_at, pin_cookie, pin_proxy) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (kind, target) DO NOTHING RETURNING *`,
    [watch.id, watch.kind, watch.target, watch.label, watch.createdAt, watch.pinCookie, watch.pinProxy],
  );
  if (inserted[0] !== undefined) return { row: toWatch(inserted[0]), created: true };
  const existing = await sql.query<RawRow>('SELECT * FROM watches WHERE kind = $1 AND target = $2', [watch.kind, watch.target]);
  return { row: toWatch(existing[0] as RawRow), created: false };
}

export async function deleteWatch(sql: Sql, id: string): Promise<boolean> {
  return (await sql.query('DELETE FROM watches WHERE id = $1 RETURNING id', [id])).length > 0;
}

export async function selectWatches(sql: Sql): Promise<WatchRow[]> {
  return (await sql.query<RawRow>('SELECT * FROM watches ORDER BY created_at, id')).map(toWatch);
}

export async function insertWebhook(sql: Sql, row: WebhookRow): Promise<void> {
  await sql.query('INSERT INTO webhooks (id, url, secret, filter, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)', [
    row.id,
    row.url,
    row.secret,
    JSON.stringify(row.filter),
    row.createdAt,
  ]);
}

export async function deleteWebhook(sql: Sql, id: string): Promise<boolean> {
  return (await sql.query('DELETE FROM webhooks WHERE id = $1 RETURNING id', [id])).length > 0;
}

export async function selectWebhooks(sql: Sql, onlyEnabled = false): Promise<WebhookRow[]> {
  const where = onlyEnabled ? 'WHERE disabled_at IS NULL' : '';
  return (await sql.query<RawRow>(`SELECT * FROM webhooks ${where} ORDER BY created_at, id`)).map(toWebhook);
}

export async function selectWebhook(sql: Sql, id: string): Promise<WebhookRow | null> {
  const rows = await sql.query<RawRow>('SELECT * FROM webhooks WHERE id = $1', [id]);
  return rows[0] === undefined ? null : toWebhook(rows[0]);
}

/** Disables the webhook and retires its pending deliveries as dead letters (they stay visible). */
export async function disableWebhook(sql: Sql, id: string, at: number, reason: string): Promise<void> {
  await sql.query('UPDATE webhooks SET disabled_at = $2, disabled_reason = $3 WHERE id = $1 AND disabled_at IS NULL', [id, at, reason]);
  await sql.query(`UPDATE webhook_deliveries SET status = 'DEAD', last_error = $2 WHERE webhook_id = $1 AND status = 'PENDING'`, [
    id,
    `webhook disabled: ${reason}`,
  ]);
}

export async function insertDeliveries(sql: Sql, rows: readonly DeliveryInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO webhook_deliveries (id, webhook_id, type, payload, status, created_at, next_attempt_at, expires_at)
     SELECT id, webhook_id, type, payload, 'PENDING', created_at, created_at, expires_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int8[])
       AS r(id, webhook_id, type, payload, created_at, expires_at)
     ON CONFLICT (id) DO NOTHING`,
    [
      rows.map((row) => row.id),
      rows.map((row) => row.webhookId),
      rows.map((row) => row.type),
      rows.map((row) => row.payload),
      rows.map((row) => Math.trunc(row.createdAt)),
      rows.map((row) => Math.trunc(row.expiresAt)),
    ],
  );
}

/**
 * Takes up to `limit` due deliveries of enabled webhooks for one sender. SKIP LOCKED lets every
 * instance claim at once without two taking the same row; moving next_attempt_at past the lease
 * keeps a claimed row from being due again while it is sent, and makes it due again if the
 * sender dies mid-send.
 */
export async function claimDue(sql: Sql, now: number, limit: number, leaseMs: number): Promise<ClaimedRow[]> {
  const rows = await sql.query<RawRow>(
    `WITH due AS (
       SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1 AND w.disabled_at IS NULL
       ORDER BY d.next_attempt_at, d.seq
       LIMIT $2
       FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE webhook_deliveries d SET next_attempt_at = $1 + $3, attempts = d.attempts + 1, last_attempt_at = $1
     FROM due, webhooks w
     WHERE d.id = due.id AND w.id = d.webhook_id
     RETURNING ${DELIVERY_COLUMNS}, w.url, w.secret`,
    [now, limit, leaseMs],
  );
  return rows.map((row) => ({ ...toDelivery(row), url: String(row.url), secret: String(row.secret) }));
}

export async function markDelivered(sql: Sql, id: string, at: number, status: number): Promise<void> {
  await sql.query(`UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = $2, last_status = $3, last_error = NULL WHERE id = $1`, [
    id,
    at,
    status,
  ]);
}

/** A failed attempt: due again at `retryAt`, or a dead letter when retryAt is null. */
export async function markFailed(sql: Sql, id: string, failure: { status: number | null; error: string; retryAt: number | null }): Promise<void> {
  await sql.query(
    `UPDATE webhook_deliveries SET status = $2, next_attempt_at = COALESCE($3, next_attempt_at), last_status = $4, last_error = $5
     WHERE id = $1`,
    [id, failure.retryAt === null ? 'DEAD' : 'PENDING', failure.retryAt, failure.status, failure.error],
  );
}

export async function selectDeliveries(sql: Sql, webhookId: string, beforeSeq: number | null, limit: number): Promise<DeliveryRow[]> {
  const rows = await sql.query<RawRow>(
    `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d
     WHERE d.webhook_id = $1 AND ($2::int8 IS NULL OR d.seq < $2::int8)
     ORDER BY d.seq DESC LIMIT $3`,
    [webhookId, beforeSeq, limit],
  );
  return rows.map(toDelivery);
}

export async function selectDelivery(sql: Sql, id: string): Promise<DeliveryRow | null> {
  const rows = await sql.query<RawRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.id = $1`, [id]);
  return rows[0] === undefined ? null : toDelivery(rows[0]);
}

/** Makes a delivery due now again, with a fresh retry window; its id (webhook-id) stays. */
export async function requeueDelivery(sql: Sql, id: string, now: number, expiresAt: number): Promise<DeliveryRow | null> {
  const rows = await sql.query<RawRow>(
    `UPDATE webhook_deliveries d SET status = 'PENDING', next_attempt_at = $2, expires_at = $3, attempts = 0, delivered_at = NULL
     WHERE d.id = $1 RETURNING ${DELIVERY_COLUMNS}`,
    [id, now, expiresAt],
  );
  return rows[0] === undefined ? null : toDelivery(rows[0]);
}

export async function selectOutboxDepth(sql: Sql): Promise<{ webhookId: string; pending: number }[]> {
  const rows = await sql.query<RawRow>(
    `SELECT w.id AS webhook_id, count(d.id) AS pending FROM webhooks w
     LEFT JOIN webhook_deliveries d ON d.webhook_id = w.id AND d.status = 'PENDING'
     GROUP BY w.id`,
  );
  return rows.map((row) => ({ webhookId: String(row.webhook_id), pending: toNumber(row.pending) }));
}
