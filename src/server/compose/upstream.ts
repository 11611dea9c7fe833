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

export interface Upstream {
  client: DouyinHttpClient;
  signer: Signer;
  /** The simulator serving as the upstream, or null for Douyin. */
  simulator: Simulator | null;
  /** The upstream response cache, kept current by push events; null when off. */
  cache: UpstreamResponseCache | null;
  /** Whether Douyin answers at all, judged from every HTTP call (UPSTREAM_UNREACHABLE). */
  health: UpstreamHealth;
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
  const client = await createDouyinHttpClient(config.upstream, {
    signer,
    cache,
    observer: {
      onCall: (call) => {
        health.onCall(call);
        metrics.upstreamCalls.inc({ endpoint: call.endpoint, outcome: call.outcome });
        metrics.upstreamLatency.observe({ endpoint: call.endpoint }, call.durationMs / 1000);
      },
    },
    ...(simulator === null ? {} : { webUrl: simulator.url }),
  });
  return { client, signer, simulator, cache, health };
}

const SIMULATOR_SEED_SETTING = 'simulator.seed';
const SIMULATOR_STARTED_SETTING = 'simulator.roomsStartedAt';

async function upstreamSimulator(config: Readonly<Config>, options: UpstreamOptions, closers: Closers): Promise<Simulator | null> {
  if (config.upstream.mode !== 'simulator') return null;
  if (options.simulator !== undefined) return options.simulator;
  const { store } = options;
  // One seed and start time per store, so the simulator's rooms (room_ids hold their start time)
  // and their stored history survive restarts.
  const seed = config.upstream.simulator.seed ?? (await store.keepSetting(SIMULATOR_SEED_SETTING, randomBytes(6).toString('hex')));
  const roomsStartedAt = Number(await store.keepSetting(SIMULATOR_STARTED_SETTING, String(Date.now())));
  const simulator = await startSimulator({ port: config.upstream.simulator.port, host: '127.0.0.1', seed, roomsStartedAt });
  closers.add(() => simulator.stop());
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
