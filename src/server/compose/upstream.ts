// The upstream subsystem: Douyin or the built-in simulator, the signer, the response cache and
// the HTTP client.
import { randomBytes } from 'node:crypto';
import { createResponseCache, type ResponseCacheObserver, type UpstreamResponseCache } from '../../collectors/cache/index.ts';
import type { DouyinHttpClient } from '../../collectors/http/client.ts';
import { createDouyinHttpClient } from '../../collectors/http/index.ts';
import { createSigner } from '../../collectors/signer/index.ts';
import type { Signer } from '../../collectors/signer/signer.ts';
import type { Config } from '../../config.ts';
import type { Simulator } from '../../simulator/index.ts';
import type { EventStore } from '../../store/event-store.ts';
import { startSimulator } from '../../simulator/index.ts';
import type { Logger } from '../logger.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { UpstreamHealth } from '../../collectors/upstream-health.ts';
import type { Closers } from './closers.ts';
import { readPoolEntries, watchPoolFiles } from '../../collectors/pool/pool-files.ts';
import { UpstreamPool, type PoolChange } from '../../collectors/pool/upstream-pool.ts';

export interface Upstream {
  client: DouyinHttpClient;
  signer: Signer;
  /** The simulator serving as the upstream, or null for Douyin. */
  simulator: Simulator | null;
  /** The upstream response cache, kept current by push events; null when off. */
  cache: UpstreamResponseCache | null;
  /** Whether Douyin answers at all, judged from every HTTP call (UPSTREAM_UNREACHABLE). */
  health: UpstreamHealth;
  /** The cookie/proxy pairs (DOUYIN_COOKIES, DOUYIN_PROXIES); null when neither file is set. */
  pool: UpstreamPool | null;
}

export interface UpstreamOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  /** A simulator the caller already runs (tests): used instead of starting one. */
  simulator?: Simulator;
  /** Keeps the built-in simulator's seed and start time, so its rooms survive restarts. */
  store: Pick<EventStore, 'keepSetting'>;
}

export async function createUpstream(config: Readonly<Config>, options: UpstreamOptions, closers: Closers): Promise<Upstream> {
  const simulator = await upstreamSimulator(config, options, closers);
  const signer = await createSigner(config.upstream.signer);
  const { metrics } = options;
  const cache: UpstreamResponseCache | null = createResponseCache(config.upstream.cache, cacheObserver(metrics, () => cache));
  const health = new UpstreamHealth({
    onChange: (snapshot, previous) => {
      if (snapshot.reach === 'UPSTREAM_UNREACHABLE') options.logger.warn({ lastFailure: snapshot.lastFailure }, 'upstream unreachable: rooms wait in UPSTREAM_UNREACHABLE until Douyin answers');
      else if (previous === 'UPSTREAM_UNREACHABLE') options.logger.warn('upstream reachable again');
    },
  });
  const pool = createPool(config, options, closers);
  const client = await createDouyinHttpClient(config.upstream, {
    signer,
    cache,
    pool,
    observer: {
      onCall: (call) => {
        health.onCall(call);
        if (call.route != null) metrics.upstreamPoolCalls.inc({ pair: call.route, outcome: call.outcome });
        metrics.upstreamCalls.inc({ endpoint: call.endpoint, outcome: call.outcome });
        metrics.upstreamLatency.observe({ endpoint: call.endpoint }, call.durationMs / 1000);
      },
    },
    ...(simulator === null ? {} : { webUrl: simulator.url }),
  });
  return { client, signer, simulator, cache, health, pool };
}

/** The pool when DOUYIN_COOKIES or DOUYIN_PROXIES is set: its files watched, its changes logged and counted. */
function createPool(config: Readonly<Config>, options: UpstreamOptions, closers: Closers): UpstreamPool | null {
  const { pool: settings, cookie, httpsProxy } = config.upstream;
  if (settings.cookiesFile === null && settings.proxiesFile === null) return null;
  const sources = { cookiesFile: settings.cookiesFile, proxiesFile: settings.proxiesFile, fallbackCookie: cookie, fallbackProxy: httpsProxy };
  const pool = new UpstreamPool(readPoolEntries(sources), { quarantineMs: settings.quarantineMs, maxQuarantineMs: settings.maxQuarantineMs });
  const { logger, metrics } = options;
  pool.onChange((change) => logPoolChange(logger, metrics, change));
  metrics.observeUpstreamPool(() => pool.snapshot());
  const unwatch = watchPoolFiles(
    sources,
    (entries) => {
      pool.replaceEntries(entries);
      logger.info({ pairs: pool.size }, 'upstream pool lists re-read');
    },
    (error) => logger.warn({ err: error }, 'upstream pool lists changed but cannot be read: keeping the pairs in use'),
  );
  closers.add('the upstream client', () => {
    unwatch();
    pool.stop();
  });
  logger.info({ pairs: pool.snapshot().pairs.map(({ id, cookie: masked, proxy }) => ({ id, cookie: masked, proxy })) }, 'upstream pool of cookie/proxy pairs');
  return pool;
}

/** One warn per state change, never per call. */
function logPoolChange(logger: Logger, metrics: GatewayMetrics, change: PoolChange): void {
  // A pin is a watch's doing, said by the watch mutation itself; the room's move is logged by its stream.
  // The lists' re-reading is logged where it happens, with the pair count.
  if (change.kind === 'pin' || change.kind === 'lists') return;
  if (change.kind === 'pool') {
    if (change.degraded) logger.warn('upstream pool degraded: every cookie/proxy pair is quarantined (UPSTREAM_DEGRADED)');
    else logger.warn('upstream pool has a healthy pair again');
    return;
  }
  const { pair } = change;
  if (pair.state === 'QUARANTINED') {
    metrics.upstreamPoolQuarantines.inc({ pair: pair.id });
    logger.warn({ pair: pair.id, cookie: pair.cookie, proxy: pair.proxy, until: pair.quarantinedUntil, lastFailure: pair.lastFailure }, 'upstream pool pair quarantined');
  } else {
    logger.warn({ pair: pair.id, cookie: pair.cookie, proxy: pair.proxy }, 'upstream pool pair back in service');
  }
}

const SIMULATOR_SEED_SETTING = 'simulator.seed';
/** Ground-truth records the built-in simulator keeps per room. */
const BUILT_IN_TRUTH_CAPACITY = 1_000;
const SIMULATOR_STARTED_SETTING = 'simulator.roomsStartedAt';

async function upstreamSimulator(config: Readonly<Config>, options: UpstreamOptions, closers: Closers): Promise<Simulator | null> {
  if (config.upstream.mode !== 'simulator') return null;
  if (options.simulator !== undefined) return options.simulator;
  const { store } = options;
  // One seed and start time per store, so the simulator's rooms (room_ids hold their start time)
  // and their stored history survive restarts.
  const seed = config.upstream.simulator.seed ?? (await store.keepSetting(SIMULATOR_SEED_SETTING, randomBytes(6).toString('hex')));
  const roomsStartedAt = Number(await store.keepSetting(SIMULATOR_STARTED_SETTING, String(Date.now())));
  // The ground truth is for tests of a standalone simulator; in the gateway's own process it
  // would grow with every message (a million records per room), so only a little is kept.
  const simulator = await startSimulator({
    port: config.upstream.simulator.port,
    host: '127.0.0.1',
    seed,
    roomsStartedAt,
    truthCapacity: BUILT_IN_TRUTH_CAPACITY,
  });
  closers.add('the built-in simulator', () => simulator.stop());
  options.logger.info({ url: simulator.url, rooms: simulator.liveRooms().length, seed }, 'built-in Douyin simulator is serving as the upstream');
  return simulator;
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
