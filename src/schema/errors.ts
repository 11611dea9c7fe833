// Failures a client can switch on, as GraphQL errors with extensions.code. Upstream failures
// are translated where the schema calls a port, so the code survives error masking.
import { GraphQLError } from 'graphql';
import { isUpstreamError, type UpstreamError } from '../collectors/errors.ts';
import { HistoryDisabledError } from '../live/resume-cursor.ts';
import { isStoreError, type StoreError } from '../store/errors.ts';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  ROOM_NOT_FOUND: 'ROOM_NOT_FOUND',
  LOGIN_REQUIRED: 'LOGIN_REQUIRED',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  /** Every cookie/proxy pair of the upstream pool is quarantined; retryAfterMs says when one returns. */
  UPSTREAM_DEGRADED: 'UPSTREAM_DEGRADED',
  /** The gateway runs without an event store, so history fields cannot answer. */
  HISTORY_DISABLED: 'HISTORY_DISABLED',
  /** The event store is configured but failed or is closed. */
  HISTORY_UNAVAILABLE: 'HISTORY_UNAVAILABLE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: argument === undefined ? { code: ErrorCode.BAD_USER_INPUT } : { code: ErrorCode.BAD_USER_INPUT, argument },
  });
}

export function historyDisabled(): GraphQLError {
  return new GraphQLError('this gateway runs without an event store, so it keeps no history', {
    extensions: { code: ErrorCode.HISTORY_DISABLED },
  });
}

/**
 * An upstream failure as a coded GraphQL error. BLOCKED (risk control) is reported as
 * UPSTREAM_UNAVAILABLE with reason BLOCKED: a client can do nothing different about it, but an
 * operator reading the response can.
 */
export function fromUpstreamError(error: UpstreamError): GraphQLError {
  const extensions: Record<string, unknown> =
    error.code === 'BLOCKED'
      ? { code: ErrorCode.UPSTREAM_UNAVAILABLE, reason: 'BLOCKED' }
      : { code: error.code };
  if ((error.code === 'RATE_LIMITED' || error.code === 'UPSTREAM_BUSY' || error.code === 'UPSTREAM_DEGRADED') && error.retryAfterMs !== null) extensions.retryAfterMs = error.retryAfterMs;
  // No originalError: yoga masks any error whose origin is not a GraphQLError.
  return new GraphQLError(error.message, { extensions });
}

/** A bad cursor or argument is the client's mistake; anything else is the store's. */
export function fromStoreError(error: StoreError): GraphQLError {
  if (error.code === 'BAD_CURSOR' || error.code === 'BAD_ARGUMENT') {
    return new GraphQLError(error.message, { extensions: { code: ErrorCode.BAD_USER_INPUT, reason: error.code } });
  }
  return new GraphQLError('the event history is unavailable', { extensions: { code: ErrorCode.HISTORY_UNAVAILABLE } });
}

/** Upstream and store errors become coded errors; anything else passes unchanged (and is masked later). */
export function toCodedError(error: unknown): unknown {
  if (error instanceof HistoryDisabledError) return historyDisabled();
  if (isUpstreamError(error)) return fromUpstreamError(error);
  if (isStoreError(error)) return fromStoreError(error);
  return error;
}

/** Runs a port call and rethrows its upstream and store failures as coded errors. */
export async function callPort<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toCodedError(error);
  }
}

/** True for errors the schema raised on purpose (they carry one of the codes above). */
export function hasErrorCode(error: GraphQLError): boolean {
  const code = error.extensions?.code;
  return typeof code === 'string' && Object.hasOwn(ErrorCode, code);
}
