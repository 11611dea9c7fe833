// Watches, webhooks and the webhook outbox, beside the event history in the same database (so
// outbox rows can be written in the event's own transaction, and a fleet shares them).
import { storeCall as run, StoreError } from './errors.ts';
import * as q from './monitor-queries.ts';
import type { Sql, SqlEngine } from './sql.ts';

export type { ClaimedRow as ClaimedDelivery, DeliveryRow as StoredDelivery, WatchRow as StoredWatch, WebhookRow as StoredWebhook } from './monitor-queries.ts';

export interface DeliveryPage {
  deliveries: q.DeliveryRow[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface MonitorStore {
  addWatch(watch: q.WatchRow): Promise<{ row: q.WatchRow; created: boolean }>;
  removeWatch(id: string): Promise<boolean>;
  watches(): Promise<q.WatchRow[]>;
  createWebhook(row: q.WebhookRow): Promise<void>;
  deleteWebhook(id: string): Promise<boolean>;
  webhooks(): Promise<q.WebhookRow[]>;
  webhook(id: string): Promise<q.WebhookRow | null>;
  disableWebhook(id: string, at: number, reason: string): Promise<void>;
  /** Newest first; `after` is a cursor from an earlier page. */
  deliveries(webhookId: string, page: { first: number; after?: string | null }): Promise<DeliveryPage>;
  delivery(id: string): Promise<q.DeliveryRow | null>;
  requeue(id: string, now: number, expiresAt: number): Promise<q.DeliveryRow | null>;
  claimDue(now: number, limit: number, leaseMs: number): Promise<q.ClaimedRow[]>;
  markDelivered(id: string, at: number, status: number): Promise<void>;
  markFailed(id: string, failure: { status: number | null; error: string; retryAt: number | null }): Promise<void>;
  outboxDepth(): Promise<{ webhookId: string; pending: number }[]>;
  /** Runs `work` in one transaction: for outbox rows fired by events that are not stored. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
}

const CURSOR_PREFIX = 'delivery:';

function encodeDeliveryCursor(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`).toString('base64url');
}

function decodeDeliveryCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const seq = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 1) throw new StoreError('BAD_CURSOR', 'not a delivery cursor');
  return seq;
}

export function createSqlMonitorStore(engine: SqlEngine): MonitorStore {
  return {
    addWatch: (watch) => run('addWatch', () => engine.transaction((sql) => q.insertWatch(sql, watch))),
    removeWatch: (id) => run('removeWatch', () => q.deleteWatch(engine, id)),
    watches: () => run('watches', () => q.selectWatches(engine)),
    createWebhook: (row) => run('createWebhook', () => q.insertWebhook(engine, row)),
    deleteWebhook: (id) => run('deleteWebhook', () => q.deleteWebhook(engine, id)),
    webhooks: () => run('webhooks', () => q.selectWebhooks(engine)),
    webhook: (id) => run('webhook', () => q.selectWebhook(engine, id)),
    disableWebhook: (id, at, reason) => run('disableWebhook', () => engine.transaction((sql) => q.disableWebhook(sql, id, at, reason))),
    deliveries: async (webhookId, { first, after }) => {
      if (!Number.isInteger(first) || first < 1 || first > 100) throw new StoreError('BAD_ARGUMENT', 'first must be 1..100');
      const before = after === undefined || after === null ? null : decodeDeliveryCursor(after);
      const rows = await run('deliveries', () => q.selectDeliveries(engine, webhookId, before, first + 1));
      const page = rows.slice(0, first);
      const last = page.at(-1);
      return { deliveries: page, hasNextPage: rows.length > first, endCursor: last === undefined ? null : encodeDeliveryCursor(last.seq) };
    },
    delivery: (id) => run('delivery', () => q.selectDelivery(engine, id)),
    requeue: (id, now, expiresAt) => run('requeue', () => q.requeueDelivery(engine, id, now, expiresAt)),
    claimDue: (now, limit, leaseMs) => run('claimDue', () => engine.transaction((sql) => q.claimDue(sql, now, limit, leaseMs))),
    markDelivered: (id, at, status) => run('markDelivered', () => q.markDelivered(engine, id, at, status)),
    markFailed: (id, failure) => run('markFailed', () => q.markFailed(engine, id, failure)),
    outboxDepth: () => run('outboxDepth', () => q.selectOutboxDepth(engine)),
    transaction: (work) => run('transaction', () => engine.transaction(work)),
  };
}
