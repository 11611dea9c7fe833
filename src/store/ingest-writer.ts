// Moves event writes off the hot path: events are batched by count and by time, each batch is
// one transaction, and an event's promise resolves only once its batch has committed. The queue
// of uncommitted events is bounded; past the bound enqueue() makes its caller wait. While the
// database is unreachable the batch is tried again with a capped backoff (never dropped, never
// reordered), so an outage turns into backpressure rather than loss.
import { callSafely } from '../call-safely.ts';
import type { RoomEvent } from '../domain/events.ts';
import { usersSeen } from './derive.ts';
import { FencedError, StoreError, asStoreError, isFencedError, isTransientStoreError } from './errors.ts';
import type { EventStore, StoredEventRef } from './event-store.ts';
import { SeenUsers } from './seen-users.ts';
import { SnapshotThrottle } from './snapshot-throttle.ts';
import { checkEvent } from './validate.ts';

export type IngestStore = Pick<EventStore, 'appendEvents' | 'upsertUsers' | 'saveSnapshots'>;

export interface IngestWriterOptions {
  store: IngestStore;
  /** Events per transaction at most. */
  maxBatch?: number;
  /** How long the first event of a batch may wait for company, ms. */
  flushIntervalMs?: number;
  /** Events accepted but not yet committed, at most; beyond it callers wait. */
  maxPending?: number;
  /** At most one derived snapshot per room per this much event time, ms. */
  snapshotIntervalMs?: number;
  /** Called when callers start having to wait (true) and when they no longer do (false). */
  onBackpressure?: (active: boolean, stats: IngestWriterStats) => void;
  /** Users and snapshots are derived after the events commit; their failures land here. */
  onDeriveError?: (error: StoreError) => void;
  /** Called when a batch first fails because the store is unreachable (with why) and when it is stored again (null). */
  onStoreOutage?: (error: StoreError | null, stats: IngestWriterStats) => void;
  /** Waits between attempts at a batch while the store is unreachable: doubles from the first to the cap, ms. */
  retry?: { firstMs: number; capMs: number };
  /** After close(), how long a batch is still tried against an unreachable store before it is given up, ms. */
  closeGraceMs?: number;
}

/** A stored event's ref; `retried` when its batch needed more than one attempt. */
export interface WrittenEventRef extends StoredEventRef {
  /**
   * An attempt whose commit was cut off may have stored the batch: then the retry finds the
   * events already there (isNew false), though nobody has seen them yet.
   */
  retried: boolean;
}

export interface IngestWriterStats {
  /** Accepted and not yet committed (queued plus in flight). */
  pending: number;
  inFlight: number;
  /** enqueue() calls held back by backpressure right now. */
  waiting: number;
  /** enqueue() calls that ever had to wait. */
  backpressureWaits: number;
  stored: number;
  duplicates: number;
  failed: number;
  batches: number;
  deriveFailures: number;
  /** Attempts at a batch that failed because the store was unreachable. */
  retries: number;
  /** Since when (ms) the store has been unreachable, or null while writes succeed. */
  unavailableSince: number | null;
}

interface Entry {
  event: RoomEvent;
  /** The room lease epoch the collector holds; null when unfenced. */
  epoch: number | null;
  resolve: (ref: WrittenEventRef) => void;
  reject: (error: StoreError) => void;
}

export class IngestWriter {
  private readonly store: IngestStore;
  private readonly maxBatch: number;
  private readonly flushIntervalMs: number;
  private readonly maxPending: number;
  private readonly retry: { firstMs: number; capMs: number };
  private readonly closeGraceMs: number;
  private readonly options: IngestWriterOptions;
  private readonly snapshots: SnapshotThrottle;
  private queue: Entry[] = [];
  private waiters: Entry[] = [];
  private capacityWaiters: (() => void)[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushWanted = false;
  private draining: Promise<void> | null = null;
  private deriving: Promise<void> = Promise.resolve();
  private readonly seenUsers = new SeenUsers();
  private closing = false;
  private closingAt = 0;
  private unavailableSince: number | null = null;
  private retryTimer: { wake: () => void } | null = null;
  private counters = { backpressureWaits: 0, stored: 0, duplicates: 0, failed: 0, batches: 0, deriveFailures: 0, retries: 0 };

  constructor(options: IngestWriterOptions) {
    this.options = options;
    this.store = options.store;
    this.maxBatch = positive(options.maxBatch ?? 500, 'maxBatch');
    this.flushIntervalMs = positive(options.flushIntervalMs ?? 50, 'flushIntervalMs');
    this.maxPending = positive(options.maxPending ?? 5_000, 'maxPending');
    this.snapshots = new SnapshotThrottle(options.snapshotIntervalMs ?? 5_000);
    this.retry = options.retry ?? { firstMs: 50, capMs: 2_000 };
    this.closeGraceMs = options.closeGraceMs ?? 5_000;
  }

  /**
   * Resolves with the event's cursor once its batch has committed; rejects with a StoreError
   * (BAD_EVENT at once; STORE_UNAVAILABLE when the store refused the batch for good, or was
   * still unreachable when close() gave up on it; CLOSED after close(); FENCED when `epoch` is no
   * longer the room's lease epoch: then nothing of it was written).
   */
  enqueue(event: RoomEvent, epoch: number | null = null): Promise<WrittenEventRef> {
    return new Promise((resolve, reject) => {
      if (this.closing) return reject(new StoreError('CLOSED', 'the ingest writer is closed'));
      try {
        checkEvent(event);
      } catch (error) {
        return reject(asStoreError(error, 'enqueue'));
      }
      const entry = { event, epoch, resolve, reject };
      if (this.waiters.length === 0 && this.pending() < this.maxPending) return this.accept(entry);
      this.counters.backpressureWaits += 1;
      this.waiters.push(entry);
      if (this.waiters.length === 1) this.notifyBackpressure(true);
    });
  }

  /** Resolves when an enqueue() would be accepted at once: for producers that pipeline. */
  waitForCapacity(): Promise<void> {
    if (this.hasCapacity()) return Promise.resolve();
    return new Promise((resolve) => this.capacityWaiters.push(resolve));
  }

  /** Writes everything accepted so far, including callers still waiting, and returns when done. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.waiters.length > 0 || this.draining !== null) {
      this.flushWanted = true;
      this.kick();
      await this.draining;
    }
    await this.deriving;
  }

  /** Refuses new events, writes all accepted ones and the last snapshot of each room. The store stays open. */
  async close(): Promise<void> {
    this.closing = true;
    this.closingAt = Date.now();
    this.retryTimer?.wake();
    await this.flush();
    await this.saveSnapshots(this.snapshots.takeAll());
  }

  stats(): IngestWriterStats {
    return { pending: this.pending(), inFlight: this.inFlight, waiting: this.waiters.length, ...this.counters, unavailableSince: this.unavailableSince };
  }

  private pending(): number {
    return this.queue.length + this.inFlight;
  }

  private hasCapacity(): boolean {
    return this.waiters.length === 0 && this.pending() < this.maxPending;
  }

  private accept(entry: Entry): void {
    this.queue.push(entry);
    if (this.queue.length >= this.maxBatch) this.kick();
    else this.armTimer();
  }

  private armTimer(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushWanted = true;
      this.kick();
    }, this.flushIntervalMs);
  }

  private kick(): void {
    if (this.draining !== null) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
  }

  // One batch in flight at a time keeps each room's stored order equal to its enqueue order.
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.flushWanted = false;
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight = batch.length;
      const fresh = await this.write(batch);
      this.admitWaiters();
      // Users and snapshots of this batch are written while the next batch's events are; one
      // derivation at a time keeps their order and bounds what waits.
      await this.deriving;
      this.deriving = this.derive(fresh);
      if (this.queue.length === 0) return;
      if (this.queue.length < this.maxBatch && !this.flushWanted) return this.armTimer();
    }
  }

  /** Settles every entry of the batch; returns the entries stored for the first time. */
  private async write(batch: Entry[]): Promise<Entry[]> {
    this.counters.batches += 1;
    const events = batch.map((entry) => entry.event);
    let refs: StoredEventRef[];
    let retried = false;
    for (let attempt = 0; ; attempt += 1) {
      try {
        refs = await this.store.appendEvents(events, { epochs: batch.map((entry) => entry.epoch) });
        if (refs.length !== batch.length) throw new StoreError('STORE_UNAVAILABLE', `the store answered ${refs.length} refs for ${batch.length} events`);
        break;
      } catch (error) {
        if (isFencedError(error)) return this.writeUnfenced(batch, error);
        const failure = asStoreError(error, `storing a batch of ${batch.length} events`);
        if (!isTransientStoreError(failure) || this.givingUp()) return this.fail(batch, failure);
        this.counters.retries += 1;
        retried = true;
        this.markUnavailable(failure);
        await this.sleep(Math.min(this.retry.capMs, this.retry.firstMs * 2 ** Math.min(attempt, 20)));
      }
    }
    this.markAvailable();
    this.inFlight = 0;
    const fresh: Entry[] = [];
    batch.forEach((entry, i) => {
      const ref = refs[i] as StoredEventRef;
      if (ref.isNew) fresh.push(entry);
      entry.resolve({ ...ref, retried });
    });
    this.counters.stored += fresh.length;
    this.counters.duplicates += batch.length - fresh.length;
    return fresh;
  }

  /** Refuses the entries written under a superseded lease and writes the rest of the batch. */
  private async writeUnfenced(batch: Entry[], fenced: FencedError): Promise<Entry[]> {
    const isStale = (entry: Entry) => fenced.stale.some((stale) => stale.roomId === entry.event.roomId && stale.epoch === entry.epoch);
    const refused = batch.filter(isStale);
    const rest = batch.filter((entry) => !isStale(entry));
    this.counters.failed += refused.length;
    refused.forEach((entry) => entry.reject(new FencedError([{ roomId: entry.event.roomId, epoch: entry.epoch as number }])));
    if (rest.length > 0) return this.write(rest);
    this.inFlight = 0;
    return [];
  }

  private fail(batch: Entry[], failure: StoreError): Entry[] {
    this.inFlight = 0;
    this.counters.failed += batch.length;
    batch.forEach((entry) => entry.reject(failure));
    return [];
  }

  /** Once closing, an unreachable store gets a grace period, not forever: shutdown must end. */
  private givingUp(): boolean {
    return this.closing && Date.now() - this.closingAt >= this.closeGraceMs;
  }

  private markUnavailable(failure: StoreError): void {
    if (this.unavailableSince !== null) return;
    this.unavailableSince = Date.now();
    const stats = this.stats();
    callSafely(() => this.options.onStoreOutage?.(failure, stats));
  }

  private markAvailable(): void {
    if (this.unavailableSince === null) return;
    this.unavailableSince = null;
    const stats = this.stats();
    callSafely(() => this.options.onStoreOutage?.(null, stats));
  }

  /** A wait between attempts that close() cuts short, so shutdown does not sit out a backoff. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.retryTimer = null;
        resolve();
      };
      const timer = setTimeout(wake, this.closing ? Math.min(ms, 100) : ms);
      this.retryTimer = { wake };
    });
  }

  /** Never rejects: failures are counted and reported through onDeriveError. */
  private async derive(freshEntries: Entry[]): Promise<void> {
    if (freshEntries.length === 0) return;
    const fresh = freshEntries.map((entry) => entry.event);
    const seenAt = Math.max(...fresh.map((event) => event.createdAt));
    const users = this.seenUsers.takeChanged(usersSeen(fresh), seenAt);
    if (users.length > 0) {
      await this.store.upsertUsers(users, seenAt).catch((error: unknown) => {
        this.seenUsers.forget(users);
        this.deriveFailed(error, 'saving users seen');
      });
    }
    freshEntries.forEach((entry) => this.snapshots.observe(entry.event, entry.epoch));
    await this.saveSnapshots(this.snapshots.takeDue());
  }

  /** Every due room in one statement: one round trip per batch, not one per room. */
  private async saveSnapshots(due: ReturnType<SnapshotThrottle['takeDue']>): Promise<void> {
    if (due.length === 0) return;
    try {
      const refused = await this.store.saveSnapshots(due);
      if (refused.length > 0) this.deriveFailed(new FencedError(refused), `saving snapshots of ${refused.length} room(s)`);
    } catch (error) {
      this.deriveFailed(error, `saving snapshots of ${due.length} room(s)`);
    }
  }

  private deriveFailed(error: unknown, doing: string): void {
    this.counters.deriveFailures += 1;
    const failure = asStoreError(error, doing);
    callSafely(() => this.options.onDeriveError?.(failure));
  }

  private notifyBackpressure(active: boolean): void {
    const stats = this.stats();
    callSafely(() => this.options.onBackpressure?.(active, stats));
  }

  private admitWaiters(): void {
    const hadWaiters = this.waiters.length > 0;
    while (this.waiters.length > 0 && this.pending() < this.maxPending) {
      this.accept(this.waiters.shift() as Entry);
    }
    if (hadWaiters && this.waiters.length === 0) this.notifyBackpressure(false);
    if (this.hasCapacity()) this.capacityWaiters.splice(0).forEach((resolve) => resolve());
  }
}


function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new StoreError('BAD_ARGUMENT', `${name} must be a positive integer`);
  return value;
}
