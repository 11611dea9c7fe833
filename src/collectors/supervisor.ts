// One upstream connection per watched room however many subscribers: rooms are reference
// counted, kept for a linger period after the last watcher leaves, and rooms that are not live
// yet are polled in batched status checks until they go live.
import type { ConnectionState, ConnectionStateEvent, GiftEvent, RoomEvent, StreamGapEvent } from '../domain/events.ts';
import type { LiveRoom } from '../domain/model.ts';
import type { DouyinApi } from './douyin-api.ts';
import { chunks } from './chunks.ts';
import { errorMessage, isUpstreamError } from './errors.ts';
import { GiftLedger } from './gift-ledger.ts';
import type { ResumePoint, SavedResumePoint } from '../domain/resume-point.ts';

/** What the supervisor needs of a push connection; PushConnection is the real one. */
export interface RoomStream {
  start(): void;
  stop(): void;
  pause?(): void;
  resume?(): void;
}

export interface RoomStreamHooks {
  onEvents(events: RoomEvent[], resume?: ResumePoint | null): void;
  onState(state: ConnectionState, previous: ConnectionState | null, reason: string | null): void;
}

export interface RoomSupervisorOptions {
  api: DouyinApi;
  /** Opens the push stream for a live room, resuming where an earlier process got to when known. */
  openStream(room: LiveRoom, hooks: RoomStreamHooks, resumeFrom: SavedResumePoint | null): RoomStream;
  /**
   * Receives every event of every watched room, gifts already corrected by the ledger, with the
   * upstream point to resume from once these events are stored.
   */
  sink(roomId: string, events: RoomEvent[], resume?: ResumePoint | null, epoch?: number | null): void;
  /**
   * State changes of a room not known to exist (not found, or not resolved because the upstream
   * failed): told to live subscribers but never stored, so made-up room ids leave nothing
   * behind. The sink takes them when absent.
   */
  announce?(roomId: string, events: RoomEvent[]): void;
  /** Where the room's stream got to in an earlier process (saved once its events were stored). */
  savedResumePoint?(roomId: string): Promise<SavedResumePoint | null>;
  /**
   * When the newest message of the room that is already stored was sent (null: none is). A room
   * taken over with no saved point cannot be resent from there: the stretch becomes a gap.
   */
  lastStoredAt?(roomId: string): Promise<number | null>;
  lingerMs?: number;
  /** How often rooms waiting to go live are checked (all of them, 50 per call). */
  statusPollMs?: number;
  /** How long to wait before resolving a room again after an upstream failure. */
  retryResolveMs?: number;
  giftIdleMs?: number;
  /**
   * Gifts of the room already counted (stored), oldest first: they seed the room's gift ledger
   * so a combo that spans a restart or a collector restart is not counted twice.
   */
  countedGifts?(roomId: string): Promise<GiftEvent[]>;
  now?: () => number;
  /**
   * Fleet mode: a room is collected only while this instance holds its lease. Its session starts
   * passive (no upstream call, nothing stored) until grant(); meanwhile its state is the owner's,
   * told through mirror(). Everything the collector writes carries the lease's epoch.
   */
  leased?: boolean;
  /** A session opened or closed: ownership records the interest or releases the lease at once. */
  onRoomsChanged?: () => void;
}

interface RoomSession {
  roomId: string;
  watchers: number;
  alwaysOn: boolean;
  state: ConnectionState;
  room: LiveRoom | null;
  stream: RoomStream | null;
  ledger: GiftLedger;
  lingerTimer: NodeJS.Timeout | null;
  retryTimer: NodeJS.Timeout | null;
  stateSerial: number;
  /** RESOLVING, held until the room is known to exist (then stored) or not (then only announced). */
  unresolved: RoomEvent[];
  /** This instance collects the room (always, unless leased). */
  active: boolean;
  /** The lease epoch the collector writes under; null when unfenced. */
  epoch: number | null;
  /**
   * Leased mode: whether the upstream knows the room. A room is wanted (interest recorded, lease
   * claimed) only once it is known to exist, so made-up room ids leave no rows in the store.
   */
  exists: 'unknown' | 'yes' | 'no';
  /** The room as that check found it, for the first resolve after a grant that follows at once. */
  checked: { room: LiveRoom; at: number } | null;
}

export type Release = () => void;

/**
 * How long the room found by the existence check stands in for the resolve after a grant: the
 * claim follows the check within a lease tick, and asking upstream twice for one room is a
 * waste of the politeness budget.
 */
const CHECK_REUSE_MS = 5_000;

/** Rooms per live-status call: Douyin's check_alive takes a comma-separated list. */
const STATUS_BATCH = 50;

/** A room that could not be resolved: the upstream out of reach, every pool pair refused, or not live yet. */
function stateAfterFailure(error: unknown): ConnectionState {
  if (!isUpstreamError(error)) return 'WAITING_FOR_LIVE';
  if (error.code === 'UPSTREAM_UNAVAILABLE') return 'UPSTREAM_UNREACHABLE';
  if (error.code === 'UPSTREAM_DEGRADED') return 'UPSTREAM_DEGRADED';
  return 'WAITING_FOR_LIVE';
}

/** What the room sent between the last stored message and this collector's start is not coming back. */
function takeoverGap(roomId: string, epoch: number, from: number, to: number): StreamGapEvent {
  return {
    type: 'StreamGapEvent',
    id: `gap:takeover:${roomId}:${epoch}`,
    roomId,
    method: 'StreamGap',
    createdAt: to,
    user: null,
    cursor: null,
    from,
    to,
    reason: 'the room moved to this instance with no saved upstream position: what it sent meanwhile cannot be fetched again',
  };
}

/** On the global timer (not node:timers/promises) so tests can drive it with fake timers. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export class RoomSupervisor {
  private readonly sessions = new Map<string, RoomSession>();
  private readonly stateListeners = new Set<(roomId: string, event: ConnectionStateEvent) => void>();
  private readonly pollTimer: NodeJS.Timeout;
  private readonly sweepTimer: NodeJS.Timeout;
  private polling = false;
  private paused = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: RoomSupervisorOptions) {
    this.now = options.now ?? Date.now;
    this.pollTimer = setInterval(() => void this.pollWaitingRooms(), options.statusPollMs ?? 30_000);
    this.pollTimer.unref();
    this.sweepTimer = setInterval(() => this.sweepCombos(), Math.max(1_000, (options.giftIdleMs ?? 15_000) / 3));
    this.sweepTimer.unref();
  }

  /** Starts (or joins) collecting a room; the returned function releases this watcher. */
  watch(roomId: string): Release {
    // A subscription racing the shutdown must not open a socket that nothing will ever close.
    if (this.stopped) return () => {};
    const session = this.sessionFor(roomId);
    session.watchers += 1;
    if (session.lingerTimer !== null) {
      clearTimeout(session.lingerTimer);
      session.lingerTimer = null;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      session.watchers -= 1;
      this.maybeLinger(session);
    };
  }

  /** Rooms recorded continuously (WATCH_ROOMS): never released. */
  keepWatching(roomId: string): void {
    if (this.stopped) return;
    const session = this.sessionFor(roomId);
    session.alwaysOn = true;
  }

  connectionState(roomId: string): ConnectionState | null {
    return this.sessions.get(roomId)?.state ?? null;
  }

  watchedRooms(): { roomId: string; watchers: number; state: ConnectionState }[] {
    return [...this.sessions.values()].map(({ roomId, watchers, state }) => ({ roomId, watchers, state }));
  }

  onStateChange(listener: (roomId: string, event: ConnectionStateEvent) => void): Release {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Every room with a session (watched, recorded or lingering) that the upstream knows: the rooms
   * this instance wants collected. A room not yet checked, or not found, is not wanted.
   */
  wantedRooms(): string[] {
    return [...this.sessions.values()].filter((s) => s.exists === 'yes').map((s) => s.roomId);
  }

  /** This instance now holds the room's lease under `epoch`: collect it. */
  grant(roomId: string, epoch: number): void {
    const session = this.sessions.get(roomId);
    if (session === undefined || this.stopped) return;
    if (session.active && session.epoch === epoch) return;
    if (session.active) this.stopCollecting(session);
    session.active = true;
    session.epoch = epoch;
    session.room = null;
    // A fresh room starts as on one instance; a room another instance was collecting says so.
    const previous = session.state === 'RESOLVING' ? null : session.state;
    session.state = 'RESOLVING';
    this.emitState(session, 'RESOLVING', previous, previous === null ? null : 'this instance took over the room');
    void this.resolve(session);
  }

  /** The lease is gone (expired, taken over, or refused by the fence): stop collecting at once. */
  revoke(roomId: string): void {
    const session = this.sessions.get(roomId);
    if (session === undefined || !session.active || !this.options.leased) return;
    this.stopCollecting(session);
    session.active = false;
    session.epoch = null;
  }

  /** The owning instance's state change of a room this instance watches without collecting it. */
  mirror(event: ConnectionStateEvent): void {
    const session = this.sessions.get(event.roomId);
    if (session === undefined || session.active || session.state === event.state) return;
    session.state = event.state;
    for (const listener of this.stateListeners) listener(session.roomId, event);
  }

  /** Rooms this instance collects, with the epoch each is written under. */
  collectedRooms(): { roomId: string; epoch: number | null }[] {
    return [...this.sessions.values()].filter((s) => s.active).map(({ roomId, epoch }) => ({ roomId, epoch }));
  }

  /** Re-checks rooms that are waiting to go live now, instead of at the next poll. */
  async pollWaitingRooms(): Promise<void> {
    if (this.polling || this.stopped) return;
    const waiting = [...this.sessions.values()].filter((s) => s.active && s.state === 'WAITING_FOR_LIVE');
    if (waiting.length === 0) return;
    this.polling = true;
    try {
      // One call per 50 rooms, spread over the poll interval so many rooms never burst upstream.
      const batches = chunks(waiting, STATUS_BATCH);
      const spacingMs = (this.options.statusPollMs ?? 30_000) / (batches.length + 1);
      for (const [index, batch] of batches.entries()) {
        if (index > 0) await pause(spacingMs);
        if (this.stopped) return;
        await this.checkBatch(batch);
      }
    } finally {
      this.polling = false;
    }
  }

  private async checkBatch(batch: RoomSession[]): Promise<void> {
    try {
      const statuses = await this.options.api.liveStatus(batch.map((s) => s.roomId));
      const live = new Set(statuses.filter((s) => s.isLive).map((s) => s.roomId));
      for (const session of batch) {
        if (live.has(session.roomId) && this.sessions.get(session.roomId) === session && session.active) void this.resolve(session);
      }
    } catch {
      // The next poll tries again; a failing status call must not stop the others.
    }
  }

  /** Pauses (or resumes) reading every room's stream while the store falls behind. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    for (const session of this.sessions.values()) {
      if (paused) session.stream?.pause?.();
      else session.stream?.resume?.();
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.sweepTimer);
    for (const session of this.sessions.values()) this.close(session);
    this.sessions.clear();
  }

  private stopCollecting(session: RoomSession): void {
    if (session.retryTimer !== null) clearTimeout(session.retryTimer);
    session.retryTimer = null;
    session.stream?.stop();
    session.stream = null;
    this.deliver(session, session.ledger.flush());
  }

  private sessionFor(roomId: string): RoomSession {
    let session = this.sessions.get(roomId);
    if (session !== undefined) return session;
    session = {
      roomId,
      watchers: 0,
      alwaysOn: false,
      state: 'RESOLVING',
      room: null,
      stream: null,
      ledger: new GiftLedger({ idleMs: this.options.giftIdleMs, now: this.now }),
      lingerTimer: null,
      retryTimer: null,
      stateSerial: 0,
      unresolved: [],
      active: this.options.leased !== true,
      epoch: null,
      // Unleased, the resolve is the check: nothing is stored for a room it does not find.
      exists: this.options.leased === true ? 'unknown' : 'yes',
      checked: null,
    };
    this.sessions.set(roomId, session);
    if (!session.active) {
      void this.check(session);
      return session;
    }
    this.options.onRoomsChanged?.();
    this.emitState(session, 'RESOLVING', null, null);
    void this.resolve(session);
    return session;
  }

  /**
   * Leased mode: asks the upstream whether the room exists before it is wanted, so a made-up id
   * never reaches the lease and interest tables. Not found ends the session's hopes (ENDED, told
   * to live subscribers, never stored); an upstream failure is retried like a resolve.
   */
  private async check(session: RoomSession): Promise<void> {
    const current = () => this.sessions.get(session.roomId) === session && !this.stopped && session.exists === 'unknown';
    const room = await this.lookUp(session, current, {
      notFound: () => (session.exists = 'no'),
      retry: () => this.retryLater(session, () => session.exists === 'unknown', () => this.check(session)),
    });
    if (room === null || !current()) return;
    session.exists = 'yes';
    session.checked = { room, at: this.now() };
    this.options.onRoomsChanged?.();
  }

  /**
   * The room as the upstream has it, or null once its absence or the failure is said: ENDED for
   * a room it does not know (after `notFound`), else the failure's state and a `retry` later.
   * Nothing is said when `current()` no longer holds (the session moved on meanwhile).
   */
  private async lookUp(
    session: RoomSession,
    current: () => boolean,
    on: { notFound?: () => void; retry: () => void },
  ): Promise<LiveRoom | null> {
    try {
      return await this.options.api.roomByRoomId(session.roomId);
    } catch (error) {
      if (!current()) return null;
      if (isUpstreamError(error) && error.code === 'ROOM_NOT_FOUND') {
        on.notFound?.();
        this.setState(session, 'ENDED', error.message);
        return null;
      }
      this.setState(session, stateAfterFailure(error), `could not resolve the room: ${errorMessage(error)}`);
      on.retry();
      return null;
    }
  }

  private async resolve(session: RoomSession): Promise<void> {
    // A retry while Douyin is unreachable stays in that state rather than flapping through RESOLVING.
    if (session.state !== 'UPSTREAM_UNREACHABLE' && session.state !== 'UPSTREAM_DEGRADED') this.setState(session, 'RESOLVING', null);
    const epoch = session.epoch;
    const current = () => this.sessions.get(session.roomId) === session && session.active && session.epoch === epoch;
    const checked = session.checked;
    session.checked = null;
    const room =
      checked !== null && this.now() - checked.at < CHECK_REUSE_MS
        ? checked.room
        : await this.lookUp(session, current, { retry: () => this.retryLater(session, () => session.active && session.stream === null, () => this.resolve(session)) });
    if (room === null || !current() || session.stream !== null) return;
    session.room = room;
    if (session.unresolved.length > 0) this.options.sink(session.roomId, session.unresolved.splice(0));
    if (room.status === 'ENDED') {
      this.setState(session, 'ENDED', 'the broadcast has ended');
      return;
    }
    if (room.status !== 'LIVE') {
      this.setState(session, 'WAITING_FOR_LIVE', `the room is ${room.status.toLowerCase()}`);
      return;
    }
    await this.seedLedger(session);
    const resumeFrom = await this.savedResume(session.roomId);
    const unresumable = resumeFrom === null && epoch !== null ? await this.lastStoredAt(session.roomId) : null;
    if (!current() || session.stream !== null || this.stopped) return;
    if (unresumable !== null) this.deliver(session, [takeoverGap(session.roomId, epoch as number, unresumable, this.now())]);
    this.openStream(session, room, resumeFrom);
  }

  private async seedLedger(session: RoomSession): Promise<void> {
    if (this.options.countedGifts === undefined) return;
    try {
      session.ledger.seed(await this.options.countedGifts(session.roomId));
    } catch {
      // Without history the ledger starts empty: a combo spanning the gap may count twice, but
      // the room must still be collected.
    }
  }

  private async savedResume(roomId: string): Promise<SavedResumePoint | null> {
    try {
      return (await this.options.savedResumePoint?.(roomId)) ?? null;
    } catch {
      // Without it the stream starts from now, as a first visit does.
      return null;
    }
  }

  private async lastStoredAt(roomId: string): Promise<number | null> {
    try {
      return (await this.options.lastStoredAt?.(roomId)) ?? null;
    } catch {
      // Unknown: no gap is claimed, as on a first visit.
      return null;
    }
  }

  private openStream(session: RoomSession, room: LiveRoom, resumeFrom: SavedResumePoint | null): void {
    const epoch = session.epoch;
    // A stream stopped by a revoke may still call back: what it says belongs to the old lease.
    const ours = () => session.active && session.epoch === epoch;
    const hooks: RoomStreamHooks = {
      onEvents: (events, resume) => {
        if (ours()) this.deliver(session, events, resume ?? null);
      },
      onState: (state, _previous, reason) => {
        if (!ours()) return;
        this.setState(session, state, reason);
        if (state === 'ENDED') this.deliver(session, session.ledger.flush());
      },
    };
    session.stream = this.options.openStream(room, hooks, resumeFrom);
    session.stream.start();
    if (this.paused) session.stream.pause?.();
  }

  private deliver(session: RoomSession, events: RoomEvent[], resume: ResumePoint | null = null): void {
    if (events.length === 0 || this.sessions.get(session.roomId) !== session || !session.active) return;
    const corrected = events.map((event) => (event.type === 'GiftEvent' ? session.ledger.apply(event) : event));
    this.options.sink(session.roomId, corrected, resume, session.epoch);
  }

  private sweepCombos(): void {
    for (const session of this.sessions.values()) this.deliver(session, session.ledger.sweep());
  }

  /** Runs `again` after the retry interval if the session is still this room's and `stillDue()`. */
  private retryLater(session: RoomSession, stillDue: () => boolean, again: () => Promise<void>): void {
    if (session.retryTimer !== null) return;
    session.retryTimer = setTimeout(() => {
      session.retryTimer = null;
      if (this.sessions.get(session.roomId) === session && stillDue()) void again();
    }, this.options.retryResolveMs ?? 10_000);
    session.retryTimer.unref();
  }

  private maybeLinger(session: RoomSession): void {
    if (session.watchers > 0 || session.alwaysOn || session.lingerTimer !== null) return;
    session.lingerTimer = setTimeout(() => {
      session.lingerTimer = null;
      if (session.watchers > 0 || session.alwaysOn) return;
      this.close(session);
      this.sessions.delete(session.roomId);
      // A room that was never wanted changes nothing ownership knows.
      if (session.exists === 'yes') this.options.onRoomsChanged?.();
    }, this.options.lingerMs ?? 30_000);
    session.lingerTimer.unref();
  }

  private close(session: RoomSession): void {
    if (session.lingerTimer !== null) clearTimeout(session.lingerTimer);
    if (session.retryTimer !== null) clearTimeout(session.retryTimer);
    session.stream?.stop();
    session.stream = null;
    this.deliver(session, session.ledger.flush());
  }

  private setState(session: RoomSession, state: ConnectionState, reason: string | null): void {
    if (session.state === state) return;
    const previous = session.state;
    session.state = state;
    this.emitState(session, state, previous, reason);
  }

  private emitState(session: RoomSession, state: ConnectionState, previous: ConnectionState | null, reason: string | null): void {
    session.stateSerial += 1;
    const at = this.now();
    const event: ConnectionStateEvent = {
      type: 'ConnectionStateEvent',
      id: `state:${session.roomId}:${at}:${session.stateSerial}`,
      roomId: session.roomId,
      method: 'ConnectionState',
      createdAt: at,
      user: null,
      cursor: null,
      state,
      previous,
      reason,
    };
    for (const listener of this.stateListeners) listener(session.roomId, event);
    // A room not found has no owner to tell the fleet's subscribers: they hear it from here,
    // published but never stored. A failed check stays local: another instance may be
    // collecting the room fine, and its subscribers must not hear this one's trouble.
    if (!session.active) {
      if (session.exists === 'no') this.options.announce?.(session.roomId, [event]);
      return;
    }
    if (session.room !== null || this.options.announce === undefined) this.options.sink(session.roomId, [event], null, session.epoch);
    else if (state === 'RESOLVING') session.unresolved.push(event);
    else this.options.announce(session.roomId, [...session.unresolved.splice(0), event]);
  }
}
