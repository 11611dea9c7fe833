// A real store with a hand on the tap: appendEvents can be held at a gate or made to fail, and
// every call is recorded, so writer tests can stage a slow or broken database deterministically.
import type { RoomEvent } from '../../src/domain/events.ts';
import type { EventStore, StoredEventRef } from '../../src/store/event-store.ts';
import type { IngestStore } from '../../src/store/ingest-writer.ts';

export class ControlledStore implements IngestStore {
  readonly batches: RoomEvent[][] = [];
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  private failures: Error[] = [];
  failSnapshots = false;

  constructor(readonly inner: EventStore) {}

  /** appendEvents calls wait from now until release(). */
  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
  }

  /** The next appendEvents call throws this, as a driver would during an outage. */
  failNext(error: Error): void {
    this.failures.push(error);
  }

  /** The next appendEvents call stores its events and then throws: a commit whose answer was cut off. */
  failAfterCommitNext(error: Error): void {
    this.failuresAfterCommit.push(error);
  }

  private failuresAfterCommit: Error[] = [];

  /** Calls that reached appendEvents, whether held, failed or done. */
  get calls(): number {
    return this.batches.length;
  }

  async appendEvents(events: readonly RoomEvent[]): Promise<StoredEventRef[]> {
    this.batches.push([...events]);
    if (this.gate !== null) await this.gate;
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    const refs = await this.inner.appendEvents(events);
    const afterCommit = this.failuresAfterCommit.shift();
    if (afterCommit !== undefined) throw afterCommit;
    return refs;
  }

  /** Ids passed to upsertUsers, one entry per user per call. */
  readonly usersWritten: string[] = [];

  upsertUsers: EventStore['upsertUsers'] = (users, seenAt) => {
    this.usersWritten.push(...users.map((user) => user.id));
    return this.inner.upsertUsers(users, seenAt);
  };

  saveSnapshots: EventStore['saveSnapshots'] = async (writes) => {
    if (this.failSnapshots) throw new Error('snapshot table is locked');
    return this.inner.saveSnapshots(writes);
  };
}

/** What PostgreSQL itself answers when it refuses a statement for good (SQLSTATE 22P02). */
export function refusedByDatabase(message = 'invalid input syntax for type bigint'): Error {
  return Object.assign(new Error(message), { severity: 'ERROR', code: '22P02' });
}
