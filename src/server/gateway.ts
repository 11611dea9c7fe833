// Builds the services the server runs on from the configuration: upstream (Douyin or the
// built-in simulator), HTTP client, room supervisor with its push connections, store, bus.
// Everything here is wiring; each piece lives in its layer.
import { randomBytes } from 'node:crypto';
import { MemoryEventBus } from '../bus/memory-bus.ts';
import { RedisEventBus } from '../bus/redis-bus.ts';
import type { EventBus } from '../bus/event-bus.ts';
import { applyPushEvents, createResponseCache, type ResponseCacheObserver, type UpstreamResponseCache } from '../collectors/cache/index.ts';
import { createDouyinHttpClient, DEFAULT_PROFILE, type UpstreamCallObserver } from '../collectors/http/index.ts';
import { createPushEndpoint } from '../collectors/push/endpoint.ts';
import { FrameRecorder } from '../collectors/push/frame-recorder.ts';
import { PushConnection } from '../collectors/push/push-connection.ts';
import { parseProxyUrl } from '../collectors/proxy/proxy-url.ts';
import { pushAgent } from '../collectors/proxy/ws-agent.ts';
import { createSigner } from '../collectors/signer/index.ts';
import { RoomSupervisor } from '../collectors/supervisor.ts';
import type { Config } from '../config.ts';
import type { GiftEvent } from '../domain/events.ts';
import { parseRoomRef } from '../domain/ids.ts';
import type { Simulator } from '../simulator/index.ts';
import { startSimulator } from '../simulator/index.ts';
import type { EventStore } from '../store/event-store.ts';
import { IngestWriter } from '../store/ingest-writer.ts';
import { openStores } from '../store/open-store.ts';
import { startWebhooks } from '../live/webhooks/index.ts';
import { WatchManager } from '../live/watches/watch-manager.ts';
import { startRetention } from '../store/retention.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type GatewayMetrics } from './metrics.ts';
import type { GatewayServices, ReadinessCheck } from './services.ts';
import { Ingest } from './wiring/ingest.ts';
import { ResumeSaver } from './wiring/resume-saver.ts';
import { RoomFeed } from './wiring/room-feed.ts';
import { createStatusChanges } from './wiring/status-changes.ts';

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
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch((error: unknown) => logger.warn({ err: error }, 'close failed'));
  };
  try {
    const { store, monitor, setAppendHook } = await openStores({ databaseUrl: config.store.databaseUrl, dataDir: config.store.dataDir });
    closers.push(() => store.close());
    const webhooks = startWebhooks({
      config: config.webhooks,
      monitor,
      setAppendHook,
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
    closers.push(() => webhooks.stop());
    const simulator = await upstreamSimulator(config, options, store, logger, closers);
    const signer = await createSigner(config.upstream.signer);
    const cache: UpstreamResponseCache | null = createResponseCache(config.upstream.cache, cacheObserver(metrics, () => cache));
    const client = await createDouyinHttpClient(config.upstream, {
      signer,
      observer: upstreamObserver(metrics),
      cache,
      ...(simulator === null ? {} : { webUrl: simulator.url }),
    });

    let supervisor: RoomSupervisor | null = null;
    const writer = new IngestWriter({
      store,
      // Live events are published once stored: a short batch window keeps that wait small, and
      // under load batches fill by count long before it expires.
      flushIntervalMs: 10,
      onBackpressure: (active, stats) => {
        logger.warn({ pending: stats.pending, active }, active ? 'store is behind: pausing upstream reads' : 'store caught up');
        supervisor?.setPaused(active);
      },
      onDeriveError: (error) => logger.warn({ code: error.code }, error.message),
    });
    closers.push(() => writer.close());
    const retention = startRetention({
      store,
      retentionDays: config.store.retentionDays,
      onError: (error) => logger.warn({ code: error.code }, `retention: ${error.message}`),
    });
    closers.push(() => retention.stop());

    const bus = await createBus(config, logger);
    closers.push(() => bus.close());
    const resumeSaver = new ResumeSaver({
      save: (roomId, point) => store.saveUpstreamCursor(roomId, point),
      onError: (error) => logger.warn({ err: error }, 'could not save an upstream resume point'),
    });
    closers.push(() => resumeSaver.flush());
    const ingest = new Ingest({
      bus,
      writer,
      onStoreError: (error, event) => logger.error({ code: error.code, roomId: event.roomId }, `event not stored: ${error.message}`),
      onPublishError: (error) => logger.error({ err: error }, 'publishing an event failed'),
    });
    closers.push(() => ingest.settled());


    const pushProxy = config.upstream.httpsProxy === null ? null : parseProxyUrl(config.upstream.httpsProxy);
    const recorder = config.store.recordDir === null ? null : new FrameRecorder(config.store.recordDir);
    if (recorder !== null) closers.push(() => recorder.close());

    supervisor = new RoomSupervisor({
      api: webhooks.recordingApi(client),
      lingerMs: config.push.lingerMs,
      statusPollMs: config.push.statusPollMs,
      giftIdleMs: config.push.giftComboIdleMs,
      countedGifts: (roomId) => recentGifts(store, roomId, Date.now() - GIFT_SEED_WINDOW_MS),
      sink: (roomId, events, resume) => {
        if (cache !== null) applyPushEvents(cache, events);
        ingest.accept(roomId, events, resume ? () => resumeSaver.stored(roomId, resume) : undefined);
      },
      savedResumePoint: (roomId) => store.upstreamCursor(roomId),
      openStream: (room, hooks, resumeFrom) =>
        new PushConnection({
          roomId: room.id,
          resumeFrom,
          endpoint: createPushEndpoint({
            roomId: room.id,
            webRid: room.webRid,
            client,
            signer,
            pushBase: simulator?.pushUrl ?? config.push.url,
            preferConfigured: simulator !== null,
            userAgent: DEFAULT_PROFILE.userAgent,
            ...(pushProxy === null ? {} : { agentFor: (url: string) => pushAgent(pushProxy, url, config.upstream.httpTimeoutMs) }),
          }),
          stallMs: config.push.stallMs,
          isStillLive: async () => (await client.liveStatus([room.id]))[0]?.isLive ?? true,
          onEvents: hooks.onEvents,
          onState: hooks.onState,
          onRawFrame: recorder === null ? undefined : (direction, bytes) => recorder.record(room.id, direction, bytes),
          onDecoded: (frame) => {
            metrics.frames.inc({ kind: frame.frame.payloadType || 'unknown' });
            for (const event of frame.events) if (event.type === 'UnknownEvent') metrics.unknownMethods.inc({ method: event.method });
          },
          onDecodeError: (error) => metrics.decodeErrors.inc({ reason: error.code }),
          onDuplicate: () => metrics.dedupHits.inc(),
          onReconnect: (reason) => {
            metrics.reconnects.inc({ reason: reconnectReason(reason) });
            logger.info({ roomId: room.id, reason }, 'push reconnect');
          },
        }),
    });
    const rooms = supervisor;
    closers.push(async () => rooms.stop());
    await watchConfiguredRooms(config, client, rooms, logger);
    const watches = new WatchManager({
      store: monitor,
      api: client,
      rooms,
      pollMs: config.push.statusPollMs,
      onError: (error, doing) => logger.warn({ code: (error as { code?: unknown }).code }, `${doing}: ${error instanceof Error ? error.message : String(error)}`),
    });
    await watches.start();
    closers.push(async () => watches.stop());

    const feed = new RoomFeed({ bus, store, bufferLimit: config.limits.subscriberBuffer });
    const services: GatewayServices = {
      douyin: client,
      rooms,
      events: { subscribe: (roomId, subscription) => feed.subscribe(roomId, subscription) },
      history: store,
      statusChanges: createStatusChanges(rooms),
      webhooks: webhooks.admin,
      watches,
      readiness: () => readiness(store, simulator),
    };
    return {
      services,
      graphiqlRoomId: simulator?.liveRooms()[0]?.id ?? null,
      supervisor: rooms,
      store,
      writer,
      ingest,
      simulator,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

const SIMULATOR_SEED_SETTING = 'simulator.seed';
const SIMULATOR_STARTED_SETTING = 'simulator.roomsStartedAt';

/** Combos run for seconds to minutes; gifts older than this cannot continue a combo. */
const GIFT_SEED_WINDOW_MS = 30 * 60_000;
const GIFT_SEED_MAX = 20_000;

async function recentGifts(store: EventStore, roomId: string, since: number): Promise<GiftEvent[]> {
  const gifts: GiftEvent[] = [];
  let after: string | null = null;
  while (gifts.length < GIFT_SEED_MAX) {
    const page = await store.listEvents(roomId, { first: 1000, after, types: ['GiftEvent'], since });
    for (const event of page.events) if (event.type === 'GiftEvent') gifts.push(event);
    if (!page.hasNextPage || page.endCursor === null) break;
    after = page.endCursor;
  }
  return gifts;
}

async function upstreamSimulator(
  config: Readonly<Config>,
  options: GatewayOptions,
  store: EventStore,
  logger: Logger,
  closers: (() => Promise<void>)[],
): Promise<Simulator | null> {
  if (config.upstream.mode !== 'simulator') return null;
  if (options.simulator !== undefined) return options.simulator;
  // One seed and start time per store, so the simulator's rooms (room_ids hold their start time)
  // and their stored history survive restarts.
  const seed = config.upstream.simulator.seed ?? (await store.keepSetting(SIMULATOR_SEED_SETTING, randomBytes(6).toString('hex')));
  const roomsStartedAt = Number(await store.keepSetting(SIMULATOR_STARTED_SETTING, String(Date.now())));
  const simulator = await startSimulator({ port: config.upstream.simulator.port, host: '127.0.0.1', seed, roomsStartedAt });
  closers.push(() => simulator.stop());
  logger.info({ url: simulator.url, rooms: simulator.liveRooms().length, seed }, 'built-in Douyin simulator is serving as the upstream');
  return simulator;
}

async function createBus(config: Readonly<Config>, logger: Logger): Promise<EventBus> {
  const onError = (error: unknown) => logger.error({ err: error }, 'bus error');
  if (config.bus.redisUrl === null) return new MemoryEventBus(onError);
  const bus = new RedisEventBus({ url: config.bus.redisUrl, onError });
  await bus.ready();
  return bus;
}

/** WATCH_ROOMS may name web_rids: the anchor's current broadcast is the one recorded. */
async function watchConfiguredRooms(
  config: Readonly<Config>,
  client: { roomByWebRid(webRid: string): Promise<{ id: string }> },
  supervisor: RoomSupervisor,
  logger: Logger,
): Promise<void> {
  for (const entry of config.push.watchRooms) {
    const ref = parseRoomRef(entry);
    if (ref === null) continue;
    try {
      const roomId = ref.kind === 'roomId' ? ref.roomId : (await client.roomByWebRid(ref.webRid)).id;
      supervisor.keepWatching(roomId);
      supervisor.watch(roomId);
      logger.info({ roomId }, 'recording room continuously (WATCH_ROOMS)');
    } catch (error) {
      logger.warn({ room: entry, err: error }, 'could not resolve a WATCH_ROOMS entry');
    }
  }
}

function upstreamObserver(metrics: GatewayMetrics): UpstreamCallObserver {
  return {
    onCall: (call) => {
      metrics.upstreamCalls.inc({ endpoint: call.endpoint, outcome: call.outcome });
      metrics.upstreamLatency.observe({ endpoint: call.endpoint }, call.durationMs / 1000);
    },
  };
}

function cacheObserver(metrics: GatewayMetrics, cache: () => UpstreamResponseCache | null): ResponseCacheObserver {
  return {
    onLookup: (endpoint, outcome) => {
      metrics.upstreamCacheLookups.inc({ endpoint, outcome });
      if (outcome !== 'miss') metrics.upstreamCallsSaved.inc({ endpoint });
      metrics.upstreamCacheBytes.set(cache()?.size.bytes ?? 0);
    },
    onPushUpdate: (action, entries) => metrics.upstreamCachePushUpdates.inc({ action }, entries),
  };
}

/** Reconnect reasons carry details (close codes, messages): keep the metric's labels few. */
function reconnectReason(reason: string): string {
  if (reason.startsWith('handshake refused')) return 'blocked';
  if (reason.startsWith('closed')) return 'closed';
  if (reason.startsWith('socket error')) return 'error';
  if (reason.startsWith('no frame')) return 'stalled';
  return 'other';
}

async function readiness(store: EventStore, simulator: Simulator | null): Promise<ReadinessCheck[]> {
  const checks: ReadinessCheck[] = [];
  try {
    await store.latestCursor('readiness');
    checks.push({ name: 'store', ok: true });
  } catch (error) {
    checks.push({ name: 'store', ok: false, detail: error instanceof Error ? error.message : 'unavailable' });
  }
  checks.push(
    simulator === null
      ? { name: 'upstream', ok: true, detail: 'Douyin' }
      : { name: 'upstream', ok: true, detail: `simulator at ${simulator.url}` },
  );
  return checks;
}

