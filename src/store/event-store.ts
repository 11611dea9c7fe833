// The one interface to durable room history: events, viewer snapshots, user profiles and the
// gift ledger. Two engines implement it with the same SQL (pg-store.ts, pglite-store.ts).
import type { RoomEvent, RoomEventType } from '../domain/events.ts';
import type { RoomStatus, User } from '../domain/model.ts';
import type { SavedResumePoint } from '../domain/resume-point.ts';

export { decodeCursor, encodeCursor } from './cursor.ts';
export { FencedError, StoreError, isFencedError, isStoreError } from './errors.ts';
export type { StoreErrorCode } from './errors.ts';

export interface StoredEventRef {
  roomId: string;
  id: string;
  cursor: string;
  /** False when the (room, msg id) was already stored: the earlier copy and cursor stand. */
  isNew: boolean;
}

export interface ListEventsOptions {
  /** Page size, 1..1000. */
  first: number;
  /** Events strictly after this cursor (from the same room). */
  after?: string | null;
  types?: readonly RoomEventType[] | null;
  /** Inclusive lower bound on createdAt, ms. */
  since?: number | null;
  /** Exclusive upper bound on createdAt, ms. */
  until?: number | null;
  /**
   * The newest `first` matching events instead of the oldest (still listed oldest first); the
   * page then has no next page. A poller's first look at a room (the vendor /chat).
   */
  newest?: boolean;
}

export interface EventPage {
  /** Ascending by stored sequence; each with `cursor` set. */
  events: RoomEvent[];
  hasNextPage: boolean;
  /** Cursor of the last event on the page; null when the page is empty. */
  endCursor: string | null;
}

export interface RoomSnapshot {
  roomId: string;
  /** When the figures were true, ms. */
  at: number;
  viewerCount: number | null;
  totalViewers: number | null;
  likeCount: number | null;
  status: RoomStatus | null;
}

export type SnapshotInput = Omit<RoomSnapshot, 'roomId'>;

export interface SnapshotWrite {
  roomId: string;
  snapshot: SnapshotInput;
  epoch: number | null;
}

export interface SnapshotQuery {
  /** Inclusive lower bound on `at`, ms. */
  since?: number | null;
  /** The most recent `limit` snapshots (1..10000) are returned, oldest first. */
  limit: number;
}

export interface GiftTotalRow {
  roomId: string;
  userId: string;
  giftId: string;
  count: number;
  diamonds: number;
  /** Time of the latest gift counted, ms; retention keys on it. Defaults to now. */
  at?: number;
}

export interface GifterTotal {
  userId: string;
  /** The latest stored profile, when one was seen. */
  user: User | null;
  giftCount: number;
  diamonds: number;
}

export interface RoomStats {
  roomId: string;
  messagesByType: Partial<Record<RoomEventType, number>>;
  totalMessages: number;
  /** Distinct users who sent a chat or emoji chat. */
  uniqueChatters: number;
  /** Sum of the like counts of stored like bursts. */
  likesTotal: number;
  follows: number;
  giftDiamondsTotal: number;
  topGifters: GifterTotal[];
  peakViewers: number | null;
  currentViewers: number | null;
  firstEventAt: number | null;
  lastEventAt: number | null;
}

export type UserKey = { id: string } | { secUid: string };

/** Where a room's upstream push stream had got to, once everything before it was stored. */

export interface RetentionResult {
  events: number;
  snapshots: number;
  giftTotals: number;
  users: number;
}

/** Options of appendEvents. */
export interface AppendOptions {
  /**
   * The room lease epoch each event is written under, parallel to the events (null: unfenced).
   * When any epoch is no longer its room's current one the whole call writes nothing and
   * throws FencedError naming the stale (room, epoch) pairs.
   */
  epochs?: readonly (number | null)[];
}

export interface EventStore {
  /** Applies pending numbered migrations; safe to run at every start-up and concurrently. */
  migrate(): Promise<void>;
  /**
   * Stores events once per (roomId, id), giving each new one the room's next sequence number,
   * and counts new GiftEvents into the gift ledger in the same transaction (so a redelivered
   * gift is never counted twice). Returns one ref per input event, in input order.
   */
  appendEvents(events: readonly RoomEvent[], options?: AppendOptions): Promise<StoredEventRef[]>;
  listEvents(roomId: string, options: ListEventsOptions): Promise<EventPage>;
  /** Cursor of the room's newest stored event, or null when none is stored. */
  latestCursor(roomId: string): Promise<string | null>;
  countEvents(roomId: string): Promise<number>;
  /** With `epoch`, written only while it is the room's current lease epoch (else FencedError). */
  saveSnapshot(roomId: string, snapshot: SnapshotInput, epoch?: number | null): Promise<void>;
  /**
   * Several rooms' snapshots in one statement. Each is fenced by its own epoch (null: not
   * fenced); answers the rooms and epochs refused, whose snapshots were not written.
   */
  saveSnapshots(writes: readonly SnapshotWrite[]): Promise<{ roomId: string; epoch: number }[]>;
  snapshots(roomId: string, query: SnapshotQuery): Promise<RoomSnapshot[]>;
  /**
   * Latest profile wins, field by field: a null in a newer profile keeps the known value.
   * `seenAt` (ms, default now) is when the users were last seen; retention keys on it.
   */
  upsertUsers(users: readonly User[], seenAt?: number): Promise<void>;
  getUser(key: UserKey): Promise<User | null>;
  addGiftTotals(rows: readonly GiftTotalRow[]): Promise<void>;
  topGifters(roomId: string, limit: number): Promise<GifterTotal[]>;
  roomStats(roomId: string): Promise<RoomStats>;
  /** Keeps the newest resume point per room (an older `at` never overwrites a newer one). */
  /** With `epoch`, written only while it is the room's current lease epoch (else FencedError). */
  saveResumePoint(roomId: string, point: SavedResumePoint, epoch?: number | null): Promise<void>;
  resumePoint(roomId: string): Promise<SavedResumePoint | null>;
  /** The value kept under `name`: `proposed` when none was kept yet (the first caller wins). */
  keepSetting(name: string, proposed: string): Promise<string>;
  /** Deletes history whose time is before `cutoffMs` (epoch ms). Sequence numbers are never reused. */
  deleteOlderThan(cutoffMs: number): Promise<RetentionResult>;
  close(): Promise<void>;
}
