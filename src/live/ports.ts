// The live layer's ports as the schema and the transports see them: watching rooms, a room's
// event stream, room status changes, and the observer the server wires to metrics.
import type { ConnectionState, RoomEvent, RoomEventType } from '../domain/events.ts';
import type { RoomStatus } from '../domain/model.ts';

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

/**
 * A room's events: history replay and live, merged in the live layer, which is also the one
 * place that checks the resume cursor and filters by type. subscribe() throws at once (before
 * anything is watched) for a cursor it cannot resume from: StoreError BAD_CURSOR, or
 * HistoryDisabledError when the gateway keeps no history.
 */
export interface RoomEventSource {
  subscribe(roomId: string, options: RoomEventSubscription): AsyncIterable<RoomEvent>;
}

/** A change of a watched room's collector state or live status. */
export interface RoomStatusChange {
  roomId: string;
  /** The anchor's web_rid when the room is followed as an anchor's broadcast. */
  anchor: string | null;
  /** ms since the epoch. */
  at: number;
  connectionState: ConnectionState | null;
  status: RoomStatus | null;
  reason: string | null;
}

/** An anchor to follow, from the room its web_rid resolved to. */
export interface AnchorStart {
  webRid: string;
  roomId: string;
}

export interface RoomStatusSource {
  /**
   * Starts with each room's current state, then every change, until the signal aborts. The
   * source watches each anchor's rooms itself, following it to every next broadcast.
   */
  subscribe(roomIds: readonly string[], signal: AbortSignal, anchors?: readonly AnchorStart[]): AsyncIterable<RoomStatusChange>;
}

/** Callbacks the server wires to metrics; neither the live layer nor the schema imports a metrics library. */
export interface SchemaObserver {
  subscriberJoined(roomId: string): void;
  subscriberLeft(roomId: string): void;
  /** Called as each live event is handed to a subscriber. */
  eventDelivered(event: RoomEvent): void;
}

