// What the schema needs from the layers below it: ports, not implementations. The gateway
// wiring (src/server/gateway.ts) hands real collectors and stores in; tests hand in fakes.
import { initContextCache } from '@pothos/core';
import type { DouyinApi } from '../collectors/douyin-api.ts';
import type { ConnectionState, RoomEvent, RoomEventType } from '../domain/events.ts';
import type { RoomStatus } from '../domain/model.ts';
import type { WebhookAdmin } from '../live/webhooks/admin.ts';
import type { WatchManager } from '../live/watches/watch-manager.ts';
import type { EventStore } from '../store/event-store.ts';

/** The room supervisor as the schema sees it. */
export interface RoomWatcher {
  /**
   * Starts (or joins) collecting a room's live events. Returns the release function; the
   * supervisor stops the collector once every watcher has released it.
   */
  watch(roomId: string): () => void;
  /** The collector's state for a watched room; null when nobody watches it. */
  connectionState(roomId: string): ConnectionState | null;
}

export interface RoomEventSubscription {
  /** Only these domain event types; all when absent or empty. */
  types?: readonly RoomEventType[] | null;
  /**
   * Replay stored events after this history cursor, then continue live, with no gap and no
   * duplicate between the two. Null means live only.
   */
  after?: string | null;
  /** Aborted when the subscriber leaves: the iterable must then finish promptly. */
  signal: AbortSignal;
}

/** A room's events: history replay and live, merged below the schema. */
export interface RoomEventSource {
  subscribe(roomId: string, options: RoomEventSubscription): AsyncIterable<RoomEvent>;
}

/**
 * Durable event history: the part of the store's EventStore (src/store/event-store.ts) the
 * schema reads, so the store is passed in as it is. Absent when the gateway runs without a
 * store. Store failures are StoreErrors with a code (BAD_CURSOR, BAD_ARGUMENT, …).
 */
export type EventHistory = Pick<EventStore, 'listEvents' | 'roomStats' | 'getUser'>;

/** A change of a watched room's collector state or live status. */
export interface RoomStatusChange {
  roomId: string;
  /** ms since the epoch. */
  at: number;
  connectionState: ConnectionState | null;
  status: RoomStatus | null;
  reason: string | null;
}

export interface RoomStatusSource {
  /** Starts with each room's current state, then every change, until the signal aborts. */
  subscribe(roomIds: readonly string[], signal: AbortSignal): AsyncIterable<RoomStatusChange>;
}

/** Callbacks the server wires to metrics; the schema never imports a metrics library. */
export interface SchemaObserver {
  subscriberJoined(roomId: string): void;
  subscriberLeft(roomId: string): void;
  /** Called as each live event is handed to a subscriber. */
  eventDelivered(event: RoomEvent): void;
}

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
}

export type SchemaContext = SchemaPorts;

/**
 * A fresh context for one operation. Loaders live in a per-context cache (Pothos'), so every
 * request gets its own and nothing is shared between users.
 */
export function createSchemaContext(ports: SchemaPorts): SchemaContext {
  return { ...ports, ...initContextCache() };
}
