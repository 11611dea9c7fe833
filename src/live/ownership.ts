// Fleet mode: which instance collects which room. Every instance records its interest in the
// rooms it wants (watched, recorded, lingering) and claims their leases in one statement per
// tick; the store grants each room to one holder at a time, by the database's clock, with an
// epoch that only grows. An instance collects a room only while it holds the lease; one that
// cannot renew in time stops by itself, and the fence refuses whatever it still writes.
import type { ConnectionStateEvent, RoomEvent } from '../domain/events.ts';
import type { EventBus, Unsubscribe } from '../bus/event-bus.ts';
import type { EventStore } from '../store/event-store.ts';
import type { HeldLease, LeaseStore } from '../store/lease-store.ts';

/** What ownership needs of the collectors (the room supervisor in leased mode). */
export interface LeasedRooms {
  wantedRooms(): string[];
  grant(roomId: string, epoch: number): void;
  revoke(roomId: string): void;
  mirror(event: ConnectionStateEvent): void;
}

export interface OwnershipObserver {
  acquired?(roomId: string, epoch: number): void;
  renewed?(count: number): void;
  lost?(roomId: string, reason: 'taken' | 'expired' | 'fenced'): void;
  owned?(count: number): void;
  error?(error: unknown, doing: string): void;
}

export interface RoomOwnershipOptions {
  leases: LeaseStore;
  /** Where a room collected elsewhere gets its state from: the owner's stored and published state events. */
  bus: EventBus;
  store: Pick<EventStore, 'listEvents'>;
  /** Unique to this process: two processes never share a holder, even with one INSTANCE_ID. */
  holder: string;
  /** This instance in the registry: its id and its bus ('redis' or 'memory'). */
  instanceId: string;
  busKind: string;
  ttlMs: number;
  /** How often leases are claimed and renewed; at most a third of the TTL. */
  tickMs?: number;
  observer?: OwnershipObserver;
  now?: () => number;
}

/** Interest rows that ended this long ago are deleted. */
const INTEREST_KEEP_MS = 60_000;

export class RoomOwnership {
  private readonly held = new Map<string, number>();
  private readonly stateFeeds = new Map<string, Unsubscribe>();
  /** The time of the newest state mirrored per room: a slower store read must not undo a newer bus event. */
  private readonly stateAt = new Map<string, number>();
  private readonly tickMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  /** When the last successful claim was sent: the leases it renewed last at least the TTL from then. */
  private renewedAt = 0;
  private lastForget = 0;
  private rooms: LeasedRooms | null = null;

  constructor(private readonly options: RoomOwnershipOptions) {
    this.tickMs = Math.max(50, Math.min(options.tickMs ?? 1_000, Math.floor(options.ttlMs / 3)));
    this.now = options.now ?? Date.now;
  }

  /** Begins claiming the rooms the collectors want (they exist after the ownership they report to). */
  start(rooms: LeasedRooms): void {
    this.rooms = rooms;
    this.timer = setInterval(() => this.roomsChanged(), this.tickMs);
    this.timer.unref();
    this.roomsChanged();
  }

  /** Rooms were added or dropped here: claim or release now rather than at the next tick. */
  roomsChanged(): void {
    if (this.closed || this.rooms === null) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = this.tick().finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        this.roomsChanged();
      }
    });
  }

  /** Rooms this instance collects now, with their epochs. */
  ownedRooms(): HeldLease[] {
    return [...this.held].map(([roomId, epoch]) => ({ roomId, epoch }));
  }

  /** A write of this room was refused for a stale epoch: another instance has it. */
  fenced(roomId: string, epoch: number): void {
    if (this.held.get(roomId) !== epoch) return;
    this.lose(roomId, 'fenced');
    this.roomsChanged();
  }

  /** Stops claiming and hands every held room over at once (the leases end now). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.running;
    for (const unsubscribe of this.stateFeeds.values()) unsubscribe();
    this.stateFeeds.clear();
    const leases = this.ownedRooms();
    this.held.clear();
    await this.options.leases.release(this.options.holder, leases).catch((error: unknown) => this.report(error, 'releasing room leases'));
    await this.options.leases.removeInstance(this.options.holder).catch((error: unknown) => this.report(error, 'leaving the instance registry'));
  }

  private async tick(): Promise<void> {
    const { leases, holder, ttlMs } = this.options;
    const rooms = this.rooms as LeasedRooms;
    const wanted = rooms.wantedRooms();
    const sentAt = this.now();
    try {
      await leases.heartbeatInstance(holder, this.options.instanceId, this.options.busKind, ttlMs);
      await leases.recordInterest(holder, wanted.map((roomId) => ({ roomId, forMs: ttlMs })));
      const claimed = await leases.claim(holder, wanted, ttlMs);
      if (this.closed) return;
      this.renewedAt = sentAt;
      this.apply(rooms, wanted, claimed);
      await this.releaseUnwanted(wanted);
      await this.forgetOldInterest();
    } catch (error) {
      this.report(error, 'claiming room leases');
      this.expireIfLate();
    }
    this.followStates(wanted);
    this.options.observer?.owned?.(this.held.size);
  }

  private apply(rooms: LeasedRooms, wanted: readonly string[], claimed: readonly HeldLease[]): void {
    const granted = new Map(claimed.map((lease) => [lease.roomId, lease.epoch]));
    let renewed = 0;
    for (const [roomId, epoch] of granted) {
      if (this.held.get(roomId) === epoch) {
        renewed += 1;
        continue;
      }
      if (this.held.has(roomId)) this.lose(roomId, 'taken');
      this.held.set(roomId, epoch);
      this.options.observer?.acquired?.(roomId, epoch);
      rooms.grant(roomId, epoch);
    }
    if (renewed > 0) this.options.observer?.renewed?.(renewed);
    const stillWanted = new Set(wanted);
    for (const roomId of [...this.held.keys()]) {
      if (stillWanted.has(roomId) && !granted.has(roomId)) this.lose(roomId, 'taken');
    }
  }

  /** Rooms this instance no longer wants: the lease ends now so an interested instance takes over at once. */
  private async releaseUnwanted(wanted: readonly string[]): Promise<void> {
    const stillWanted = new Set(wanted);
    const unwanted = this.ownedRooms().filter((lease) => !stillWanted.has(lease.roomId));
    if (unwanted.length === 0) return;
    for (const { roomId } of unwanted) this.held.delete(roomId);
    await this.options.leases.release(this.options.holder, unwanted);
  }

  /** Without a renewal for a whole TTL the leases may be someone else's: stop collecting. */
  private expireIfLate(): void {
    if (this.now() - this.renewedAt < this.options.ttlMs) return;
    for (const roomId of [...this.held.keys()]) this.lose(roomId, 'expired');
  }

  private lose(roomId: string, reason: 'taken' | 'expired' | 'fenced'): void {
    this.held.delete(roomId);
    this.options.observer?.lost?.(roomId, reason);
    this.rooms?.revoke(roomId);
  }

  private async forgetOldInterest(): Promise<void> {
    if (this.now() - this.lastForget < INTEREST_KEEP_MS) return;
    this.lastForget = this.now();
    await this.options.leases.forgetOldInterest(INTEREST_KEEP_MS);
  }

  /**
   * Each wanted room's state comes from its owner: the newest stored state first, then every
   * state event the owner publishes. The supervisor ignores them while this instance collects.
   */
  private followStates(wanted: readonly string[]): void {
    const stillWanted = new Set(wanted);
    for (const [roomId, unsubscribe] of this.stateFeeds) {
      if (stillWanted.has(roomId)) continue;
      unsubscribe();
      this.stateFeeds.delete(roomId);
      this.stateAt.delete(roomId);
    }
    for (const roomId of wanted) {
      if (this.stateFeeds.has(roomId) || this.closed) continue;
      this.stateFeeds.set(roomId, this.options.bus.subscribe(roomId, (event) => this.mirror(event)));
      void this.latestState(roomId);
    }
  }

  private async latestState(roomId: string): Promise<void> {
    try {
      const page = await this.options.store.listEvents(roomId, { first: 1, types: ['ConnectionStateEvent'], newest: true });
      for (const event of page.events) this.mirror(event);
    } catch (error) {
      this.report(error, `reading the state of room ${roomId}`);
    }
  }

  private mirror(event: RoomEvent): void {
    if (event.type !== 'ConnectionStateEvent' || this.held.has(event.roomId)) return;
    if (event.createdAt < (this.stateAt.get(event.roomId) ?? 0)) return;
    this.stateAt.set(event.roomId, event.createdAt);
    this.rooms?.mirror(event);
  }

  private report(error: unknown, doing: string): void {
    try {
      this.options.observer?.error?.(error, doing);
    } catch {
      // The observer's own failure must not stop the lease loop.
    }
  }
}
