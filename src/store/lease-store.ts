// Room ownership kept in the store's own database: PostgreSQL when instances share one, the
// embedded PGlite otherwise (where it is trivially local, through the same statements).
import { storeCall as run } from './errors.ts';
import * as q from './lease-queries.ts';
import type { SqlEngine } from './sql.ts';

export type { HeldLease, InterestRow, LiveInstance } from './lease-queries.ts';

export interface LeaseStore {
  /** Takes or renews the leases of these rooms while any instance is interested in them; returns those held. */
  claim(holder: string, roomIds: readonly string[], ttlMs: number): Promise<q.HeldLease[]>;
  /** ms until each room's lease expires by the database's clock (0 when it has). */
  expiries(roomIds: readonly string[]): Promise<Map<string, number>>;
  release(holder: string, leases: readonly q.HeldLease[]): Promise<void>;
  recordInterest(holder: string, rows: readonly q.InterestRow[]): Promise<void>;
  forgetOldInterest(olderThanMs: number): Promise<void>;
  /** Registers this instance for `ttlMs`; returns the other live instances. */
  heartbeatInstance(holder: string, instanceId: string, bus: string, ttlMs: number): Promise<q.LiveInstance[]>;
  removeInstance(holder: string): Promise<void>;
}

export function createSqlLeaseStore(engine: SqlEngine): LeaseStore {
  return {
    claim: (holder, roomIds, ttlMs) => run('claiming room leases', () => q.claimLeases(engine, holder, roomIds, ttlMs)),
    expiries: (roomIds) => run('reading lease expiries', () => q.leaseExpiries(engine, roomIds)),
    release: (holder, leases) => run('releasing room leases', () => q.releaseLeases(engine, holder, leases)),
    recordInterest: (holder, rows) => run('recording room interest', () => q.recordInterest(engine, holder, rows)),
    forgetOldInterest: (olderThanMs) => run('forgetting old interest', () => q.forgetOldInterest(engine, olderThanMs)),
    heartbeatInstance: (holder, instanceId, bus, ttlMs) =>
      run('registering the instance', () => q.heartbeatInstance(engine, holder, instanceId, bus, ttlMs)),
    removeInstance: (holder) => run('removing the instance', () => q.removeInstance(engine, holder)),
  };
}
