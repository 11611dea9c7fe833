// The composition root: one factory per subsystem, in dependency order — storage, upstream,
// webhooks, bus, room ownership, the live pipeline, the collectors, watches — and the services the server runs on. Each piece
// lives in its layer; the factories are in ./compose/ and src/live/pipeline.ts.
import type { EventBus } from '../bus/event-bus.ts';
import type { UpstreamPool } from '../collectors/pool/upstream-pool.ts';
import type { RoomSupervisor } from '../collectors/supervisor.ts';
import type { UpstreamHealth } from '../collectors/upstream-health.ts';
import type { Config } from '../config.ts';
import { createLivePipeline } from '../live/pipeline.ts';
import { WatchManager } from '../live/watches/watch-manager.ts';
import { startWebhooks } from '../live/webhooks/index.ts';
import type { Ingest } from '../live/ingest.ts';
import type { Simulator } from '../simulator/index.ts';
import type { EventStore } from '../store/event-store.ts';
import type { IngestWriter } from '../store/ingest-writer.ts';
import { createBus } from './compose/bus.ts';
import { Closers } from './compose/closers.ts';
import { createCollectors, watchConfiguredRooms } from './compose/collectors.ts';
import { createOwnership } from './compose/ownership.ts';
import { createStorage } from './compose/storage.ts';
import { createUpstream } from './compose/upstream.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type GatewayMetrics } from './metrics.ts';
import type { GatewayServices, ReadinessCheck } from './services.ts';

export interface Gateway {
  services: GatewayServices;
  /** The room GraphiQL's starter tabs open on (the simulator's first room). */
  graphiqlRoomId: string | null;
  supervisor: RoomSupervisor;
  store: EventStore;
  writer: IngestWriter;
  ingest: Ingest;
  simulator: Simulator | null;
  close(): Promise<void>;
}

export interface GatewayOptions {
  logger: Logger;
  metrics?: GatewayMetrics;
  /** A simulator the caller already runs (tests): used instead of starting one. */
  simulator?: Simulator;
}

export async function createGateway(config: Readonly<Config>, options: GatewayOptions): Promise<Gateway> {
  const { logger } = options;
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: false });
  const closers = new Closers(logger);
  try {
    const storage = await createStorage(config, logger, closers);
    const webhooks = startWebhooks({
      config: config.webhooks,
      monitor: storage.monitor,
      setAppendHook: storage.setAppendHook,
      observer: {
        attempted: (webhookId, outcome, latencyMs) => {
          metrics.webhookDeliveries.inc({ webhook_id: webhookId, outcome });
          metrics.webhookLatency.observe({ webhook_id: webhookId }, latencyMs / 1000);
        },
        outboxDepth: (depths) => depths.forEach(({ webhookId, pending }) => metrics.webhookOutboxDepth.set({ webhook_id: webhookId }, pending)),
        // The store's message only: a delivery's URL, secret and body are never logged.
        error: (error, doing) => logger.warn({ code: (error as { code?: unknown }).code }, `${doing}: ${error instanceof Error ? error.message : String(error)}`),
      },
    });
    closers.add('webhooks', () => webhooks.stop());
    const upstream = await createUpstream(
      config,
      { logger, metrics, store: storage.store, ...(options.simulator ? { simulator: options.simulator } : {}) },
      closers,
    );
    const bus = await createBus(config, logger, closers, metrics);
    const ownership = await createOwnership(config, { leases: storage.leases, store: storage.store, bus, logger, metrics }, closers);
    const live = createLivePipeline({
      bus,
      store: storage.store,
      writer: storage.writer,
      bufferLimit: config.limits.subscriberBuffer,
      holeFillMs: config.bus.holeFillMs,
      busCanLose: config.bus.redisUrl !== null,
      onBackstopError: (error) => logger.warn({ err: error }, 'reading the store for subscribers while the bus is down failed'),
      holes: { holeFilled: (_roomId, events) => metrics.holesFilled.inc(events), gapEmitted: () => metrics.gapEvents.inc() },
      onStoreError: (error, roomId) => logger.error({ code: error.code, roomId }, `event not stored: ${error.message}`),
      onPublishError: (error) => logger.error({ err: error }, 'publishing an event failed'),
      onResumeSaveError: (error) => logger.warn({ err: error }, 'could not save an upstream resume point'),
      onFenced: (roomId, epoch) => {
        metrics.fencedWrites.inc();
        ownership?.fenced(roomId, epoch);
      },
    });
    closers.add('the live pipeline', () => live.close());
    const rooms = createCollectors(
      config,
      { upstream, api: webhooks.recordingApi(upstream.client), storage, live, logger, metrics, ownership, onAnnounced: webhooks.announced },
      closers,
    );
    ownership?.start(rooms);
    await watchConfiguredRooms(config, upstream.client, rooms, logger);
    const onFollowError = (error: unknown, doing: string): void =>
      logger.warn({ code: (error as { code?: unknown }).code }, `${doing}: ${error instanceof Error ? error.message : String(error)}`);
    const watches = new WatchManager({ store: storage.monitor, api: upstream.client, rooms, pins: upstream.pool, pollMs: config.push.statusPollMs, onError: onFollowError });
    await watches.start();
    closers.add('watches', () => watches.stop());

    const { store } = storage;
    const { simulator } = upstream;
    const services: GatewayServices = {
      douyin: upstream.client,
      rooms,
      events: live.events,
      history: store,
      statusChanges: live.statusChanges(rooms, { api: upstream.client, pollMs: config.push.statusPollMs, onError: onFollowError }),
      webhooks: webhooks.admin,
      watches,
      upstreamPool: upstream.pool,
      readiness: () => readiness(store, storage.writer, bus, simulator, upstream.health, upstream.pool),
    };
    return {
      services,
      graphiqlRoomId: simulator?.liveRooms()[0]?.id ?? null,
      supervisor: rooms,
      store,
      writer: storage.writer,
      ingest: live.ingest,
      simulator,
      close: () => closers.closeAll(),
    };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}

async function readiness(
  store: EventStore,
  writer: IngestWriter,
  bus: EventBus,
  simulator: Simulator | null,
  upstream: UpstreamHealth,
  pool: UpstreamPool | null,
): Promise<ReadinessCheck[]> {
  return [await storeCheck(store, writer), busCheck(bus), upstreamCheck(simulator, upstream, pool)];
}

/** Subscribers still get every stored event while the bus is down (from the store), but late: not ready. */
function busCheck(bus: EventBus): ReadinessCheck {
  if (bus.isUp()) return { name: 'bus', ok: true };
  return { name: 'bus', ok: false, state: 'BUS_UNAVAILABLE', detail: 'Redis is unreachable; subscribers are fed from the store meanwhile' };
}

/** A probe that cannot connect may wait for the driver's connect timeout: /ready answers sooner. */
const STORE_PROBE_TIMEOUT_MS = 2_000;

/**
 * Not ready while ingest is holding events for an unreachable store (no probe needed), or while
 * a probe query fails or does not answer in time.
 */
async function storeCheck(store: EventStore, writer: IngestWriter): Promise<ReadinessCheck> {
  const { unavailableSince, pending } = writer.stats();
  if (unavailableSince !== null) {
    const since = new Date(unavailableSince).toISOString();
    return { name: 'store', ok: false, state: 'STORE_UNAVAILABLE', detail: `unreachable since ${since}; ${pending} events held` };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${STORE_PROBE_TIMEOUT_MS} ms`)), STORE_PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([store.latestCursor('readiness'), timeout]);
    return { name: 'store', ok: true };
  } catch (error) {
    return { name: 'store', ok: false, state: 'STORE_UNAVAILABLE', detail: error instanceof Error ? error.message : 'unavailable' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Degraded, never failed: a load balancer must keep the instance (it still serves history and
 * reconnects by itself), while the body tells an operator why rooms are not live.
 */
function upstreamCheck(simulator: Simulator | null, upstream: UpstreamHealth, pool: UpstreamPool | null): ReadinessCheck {
  const where = simulator === null ? 'Douyin' : `simulator at ${simulator.url}`;
  const { reach, lastFailure } = upstream.snapshot();
  if (reach !== 'UPSTREAM_UNREACHABLE' && pool?.snapshot().degraded === true) {
    return { name: 'upstream', ok: true, degraded: true, state: 'UPSTREAM_DEGRADED', detail: `${where}: every cookie/proxy pair of the pool is quarantined` };
  }
  if (reach !== 'UPSTREAM_UNREACHABLE') return { name: 'upstream', ok: true, detail: where, state: reach };
  return { name: 'upstream', ok: true, degraded: true, state: reach, detail: `${where} unreachable (${lastFailure ?? 'no answer'})` };
}
