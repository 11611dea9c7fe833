// Builds the upstream response cache from the configuration (null when turned off).
import type { UpstreamCacheConfig } from '../../config.ts';
import { UpstreamResponseCache, type ResponseCacheObserver } from './response-cache.ts';

/** Douyin's gift catalogue changes with app releases, not within a broadcast. */
const GIFT_CATALOG_FRESH_MS = 10 * 60_000;

export function createResponseCache(config: UpstreamCacheConfig, observer?: ResponseCacheObserver): UpstreamResponseCache | null {
  if (config.maxBytes === 0) return null;
  return new UpstreamResponseCache({
    maxBytes: config.maxBytes,
    freshMs: {
      'room.enter': config.roomMs,
      'room.reflow': config.roomMs,
      'room.checkAlive': config.statusMs,
      'ranklist.audience': config.ranksMs,
      'promotions.pop': config.promotionsMs,
      'gift.list': GIFT_CATALOG_FRESH_MS,
    },
    ...(observer === undefined ? {} : { observer }),
  });
}

export { UpstreamResponseCache, type CacheOutcome, type ResponseCacheObserver } from './response-cache.ts';
export { applyPushEvent, applyPushEvents } from './push-freshness.ts';
export { cacheTags } from './tags.ts';
