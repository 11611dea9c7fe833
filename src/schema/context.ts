// What the schema needs from the layers below it: ports, not implementations. The gateway
// wiring (src/server/gateway.ts) hands real collectors and stores in; tests hand in fakes.
import { initContextCache } from '@pothos/core';
import type { DouyinApi } from '../collectors/douyin-api.ts';
import type { RoomEventSource, RoomStatusSource, RoomWatcher, SchemaObserver } from '../live/ports.ts';
import type { WebhookAdmin } from '../live/webhooks/admin.ts';
import type { WatchManager } from '../live/watches/watch-manager.ts';
import type { EventStore } from '../store/event-store.ts';
import type { PoolSnapshot } from '../collectors/pool/upstream-pool.ts';

export type {
  RoomEventSource,
  RoomEventSubscription,
  RoomStatusChange,
  RoomStatusSource,
  RoomWatcher,
  SchemaObserver,
} from '../live/ports.ts';

/**
 * Durable event history: the part of the store's EventStore (src/store/event-store.ts) the
 * schema reads, so the store is passed in as it is. Absent when the gateway runs without a
 * store. Store failures are StoreErrors with a code (BAD_CURSOR, BAD_ARGUMENT, …).
 */
export type EventHistory = Pick<EventStore, 'listEvents' | 'roomStats' | 'getUser'>;

export interface SchemaPorts {
  douyin: DouyinApi;
  rooms: RoomWatcher;
  events: RoomEventSource;
  history: EventHistory | null;
  statusChanges: RoomStatusSource;
  observer?: SchemaObserver | null;
  /** Webhook administration; absent when the gateway keeps no store. */
  webhooks?: WebhookAdmin | null;
  /** Stored watches (watch mutation); absent when the gateway keeps no store. */
  watches?: WatchManager | null;
  /** The upstream cookie/proxy pool; absent when none is configured. */
  upstreamPool?: { snapshot(): PoolSnapshot } | null;
}

export type SchemaContext = SchemaPorts & {
  /** The caller's token scopes, added by the transport's auth guard when tokens are on. */
  auth?: { scopes: readonly string[] };
};

/**
 * A fresh context for one operation. Loaders live in a per-context cache (Pothos'), so every
 * request gets its own and nothing is shared between users.
 */
export function createSchemaContext(ports: SchemaPorts): SchemaContext {
  return { ...ports, ...initContextCache() };
}
