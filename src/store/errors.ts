// Store failures as typed errors with stable codes, so the API layer and the ingest path can
// switch on `code` instead of parsing driver messages.

export type StoreErrorCode =
  /** A cursor that this store did not hand out, or one for another room. */
  | 'BAD_CURSOR'
  /** A list argument out of range (first, limit, types, times). */
  | 'BAD_ARGUMENT'
  /** An event or user missing what the store keys on (room id, msg id, type, time). */
  | 'BAD_EVENT'
  /** The database refused or could not be reached; the write did not happen. */
  | 'STORE_UNAVAILABLE'
  /** A migration failed; migrations run in one transaction, so none of that run applied. */
  | 'MIGRATION_FAILED'
  /** The store or the writer was closed before the call. */
  | 'CLOSED'
  /** Another running process holds the embedded store's data directory. */
  | 'STORE_LOCKED'
  /** A collector wrote under a room lease epoch that is no longer current: nothing was written. */
  | 'FENCED';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.code = code;
  }
}

/** The (room, epoch) pairs whose writes were refused because another holder took the room's lease. */
export class FencedError extends StoreError {
  readonly stale: readonly { roomId: string; epoch: number }[];

  constructor(stale: readonly { roomId: string; epoch: number }[]) {
    super('FENCED', `refused writes under a superseded lease: ${stale.map((s) => `room ${s.roomId} epoch ${s.epoch}`).join(', ')}`);
    this.name = 'FencedError';
    this.stale = stale;
  }
}

export function isFencedError(error: unknown): error is FencedError {
  return error instanceof FencedError;
}

export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError;
}

/** Keeps our own typed errors; wraps anything the driver threw as STORE_UNAVAILABLE. */
export function asStoreError(error: unknown, doing: string): StoreError {
  if (error instanceof StoreError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError('STORE_UNAVAILABLE', `${doing} failed: ${reason}`, { cause: error });
}

/**
 * SQLSTATE classes that say the database refused this statement for what it is (bad data, a
 * constraint, a missing table): trying it again changes nothing. Everything else, and driver
 * errors without a SQLSTATE (a reset socket, a refused connection, a timeout), may pass once the
 * database is back: connection exceptions (08), resources (53), shutdowns (57), serialization (40).
 */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '40', '53', '57', '58']);

/**
 * Single codes outside those classes that end a session, not the statement's content: its
 * transaction was rolled back, so the same write may simply be tried again. 25P03: idle inside a
 * transaction past idle_in_transaction_session_timeout (a process stalled mid-batch); 25P04: past
 * transaction_timeout.
 */
const TRANSIENT_SQLSTATES = new Set(['25P03', '25P04']);

/** Whether waiting and trying the same write again may succeed (the database was unreachable). */
export function isTransientStoreError(error: StoreError): boolean {
  if (error.code !== 'STORE_UNAVAILABLE') return false;
  // Only an answer from the server carries a severity; socket errors carry codes like EPIPE.
  const cause = error.cause as { code?: unknown; severity?: unknown } | undefined;
  if (typeof cause?.severity !== 'string' || typeof cause.code !== 'string') return true;
  return TRANSIENT_SQLSTATE_CLASSES.has(cause.code.slice(0, 2)) || TRANSIENT_SQLSTATES.has(cause.code);
}

/** Runs one store operation; whatever it throws comes out as a StoreError saying what was being done. */
export async function storeCall<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asStoreError(error, doing);
  }
}
