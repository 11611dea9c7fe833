// Numbered schema migrations, the same SQL for PostgreSQL and PGlite. Append new versions;
// never edit one that has shipped.
import { StoreError } from './errors.ts';
import type { SqlEngine } from './sql.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'event history, snapshots, users, gift ledger',
    sql: `
      -- The next sequence number per room lives apart from the events, so retention can delete
      -- a room's whole history without a later event reusing an old cursor.
      CREATE TABLE room_heads (
        room_id  text PRIMARY KEY,
        last_seq bigint NOT NULL
      );

      CREATE TABLE room_events (
        room_id    text   NOT NULL,
        seq        bigint NOT NULL,
        msg_id     text   NOT NULL,
        type       text   NOT NULL,
        created_at bigint NOT NULL,
        user_id    text,
        body       jsonb  NOT NULL,
        PRIMARY KEY (room_id, seq),
        CONSTRAINT room_events_once UNIQUE (room_id, msg_id)
      );
      CREATE INDEX room_events_by_type ON room_events (room_id, type, seq);
      CREATE INDEX room_events_by_time ON room_events (created_at);

      CREATE TABLE room_snapshots (
        room_id       text   NOT NULL,
        at            bigint NOT NULL,
        viewer_count  bigint,
        total_viewers bigint,
        like_count    bigint,
        status        text,
        PRIMARY KEY (room_id, at)
      );
      CREATE INDEX room_snapshots_by_time ON room_snapshots (at);

      CREATE TABLE users (
        id      text   PRIMARY KEY,
        sec_uid text,
        profile jsonb  NOT NULL,
        seen_at bigint NOT NULL
      );
      CREATE INDEX users_by_sec_uid ON users (sec_uid) WHERE sec_uid IS NOT NULL;
      CREATE INDEX users_by_seen ON users (seen_at);

      CREATE TABLE gift_totals (
        room_id    text   NOT NULL,
        user_id    text   NOT NULL,
        gift_id    text   NOT NULL,
        gift_count bigint NOT NULL,
        diamonds   bigint NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (room_id, user_id, gift_id)
      );
      CREATE INDEX gift_totals_by_time ON gift_totals (updated_at);
    `,
  },
  {
    version: 2,
    name: 'upstream resume points',
    sql: `
      -- Where each room's push stream had got to once its events were stored: a restarted
      -- gateway resumes from here instead of losing what arrived while it was down.
      CREATE TABLE upstream_cursors (
        room_id      text   PRIMARY KEY,
        cursor       text   NOT NULL,
        internal_ext text   NOT NULL,
        updated_at   bigint NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'gateway settings',
    sql: `
      -- Values chosen once per store and kept for its lifetime (the built-in simulator's seed,
      -- so its rooms and their stored history survive restarts).
      CREATE TABLE gateway_settings (
        name  text PRIMARY KEY,
        value text NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'watches, webhooks and the webhook outbox',
    sql: `
      -- What the gateway was asked to follow (watch mutation): an anchor across broadcasts, or
      -- one room. Kept here so watches survive restarts and every instance of a fleet sees them.
      CREATE TABLE watches (
        id         text   PRIMARY KEY,
        kind       text   NOT NULL,
        target     text   NOT NULL,
        label      text,
        created_at bigint NOT NULL,
        CONSTRAINT watches_once UNIQUE (kind, target)
      );

      CREATE TABLE webhooks (
        id              text   PRIMARY KEY,
        url             text   NOT NULL,
        secret          text   NOT NULL,
        filter          jsonb  NOT NULL,
        created_at      bigint NOT NULL,
        disabled_at     bigint,
        disabled_reason text
      );

      -- The outbox: a row per (webhook, triggering event), written in the same transaction as
      -- the event, so a stored event's webhooks are never lost. The id is the webhook-id header,
      -- the same on every attempt; payload is the exact body, signed afresh per attempt.
      CREATE TABLE webhook_deliveries (
        seq             bigserial UNIQUE,
        id              text   PRIMARY KEY,
        webhook_id      text   NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        type            text   NOT NULL,
        payload         text   NOT NULL,
        status          text   NOT NULL,
        attempts        integer NOT NULL DEFAULT 0,
        created_at      bigint NOT NULL,
        next_attempt_at bigint NOT NULL,
        expires_at      bigint NOT NULL,
        last_attempt_at bigint,
        last_status     integer,
        last_error      text,
        delivered_at    bigint
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
      CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
    `,
  },
  {
    version: 5,
    name: 'fleet: room leases, cluster interest, live instances, the epoch of each event',
    sql: `
      -- One collector per room across instances. Expiry is by the database's clock (now()), so
      -- instances whose clocks disagree still agree on who holds a lease. The epoch only grows:
      -- a release keeps the row, so a later holder never reuses an epoch a paused one still has.
      CREATE TABLE room_leases (
        room_id    text        PRIMARY KEY,
        holder     text        NOT NULL,
        epoch      bigint      NOT NULL,
        expires_at timestamptz NOT NULL
      );

      -- Which instances want a room collected (a subscriber, WATCH_ROOMS, a stored watch), each
      -- until its heartbeat or its linger runs out: the room is collected while any row is live.
      CREATE TABLE room_interest (
        room_id    text        NOT NULL,
        holder     text        NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (room_id, holder)
      );
      CREATE INDEX room_interest_by_expiry ON room_interest (expires_at);

      -- Running instances, so a start-up can see another one sharing the database.
      CREATE TABLE gateway_instances (
        holder      text        PRIMARY KEY,
        instance_id text        NOT NULL,
        bus         text        NOT NULL,
        started_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL
      );

      -- The lease epoch each event was written under (null: written outside any lease).
      ALTER TABLE room_events ADD COLUMN epoch bigint;
    `,
  },
  {
    version: 6,
    name: "watches: a pin to an upstream pool cookie or proxy",
    sql: `
      -- A watch may pin its room to one cookie and/or proxy of the upstream pool, by the ids the
      -- upstreamPool query shows (hashes: the secrets themselves are never stored here).
      ALTER TABLE watches ADD COLUMN pin_cookie text;
      ALTER TABLE watches ADD COLUMN pin_proxy text;
    `,
  },
];

// Any fixed number works; it only has to be the same for every gateway sharing a database.
const MIGRATION_LOCK = 0x646c7367;

/** Applies the migrations above `applied`, each recorded in schema_migrations; returns versions applied. */
export async function runMigrations(engine: SqlEngine, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return engine.transaction(async (sql) => {
    // The lock comes first so two gateways starting together do not race on CREATE TABLE.
    await sql.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await sql.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => Number(row.version)));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      try {
        await sql.exec(migration.sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new StoreError('MIGRATION_FAILED', `migration ${migration.version} (${migration.name}) failed: ${reason}`, { cause: error });
      }
      await sql.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
}
