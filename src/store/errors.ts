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
  | 'STORE_LOCKED';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.code = code;
  }
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
