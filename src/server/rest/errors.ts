// Every failure of a vendor route as one typed error with an HTTP status; the envelope turns it
// into the vendor's {code: -1, msg, data: null}.
//
// Upstream and store failures map as follows (status, then why):
//   ROOM_NOT_FOUND        404  the room id names no broadcast
//   RATE_LIMITED          429  Douyin throttles the gateway; Retry-After from upstream, else 30 s
//   LOGIN_REQUIRED        503  the gateway lacks a logged-in Douyin cookie: the operator's fix, not
//                              the caller's (403 would read as "your token may not do this")
//   BLOCKED               502  Douyin's risk control refused the gateway's request
//   UPSTREAM_UNAVAILABLE  503  Douyin did not answer usefully (timeouts, 5xx, empty bodies)
//   STORE_UNAVAILABLE     503  the event store could not be reached (chat polling)
//   anything else         500  message masked; the cause goes to the handler's onError
import { isUpstreamError, type UpstreamErrorCode } from '../../collectors/errors.ts';
import { isStoreError } from '../../store/errors.ts';
import { redactString } from '../auth/redact.ts';

export type VendorErrorCode =
  | UpstreamErrorCode
  | 'MISSING_TOKEN'
  | 'BAD_TOKEN'
  | 'REVOKED_TOKEN'
  | 'TOO_MANY_REQUESTS'
  | 'BAD_REQUEST'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'HISTORY_UNAVAILABLE'
  | 'STORE_UNAVAILABLE'
  | 'INTERNAL';

export class VendorError extends Error {
  constructor(
    readonly status: number,
    readonly code: VendorErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'VendorError';
  }
}

export const badRequest = (message: string) => new VendorError(400, 'BAD_REQUEST', message);

const UPSTREAM_STATUS: Record<UpstreamErrorCode, number> = {
  ROOM_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  UPSTREAM_BUSY: 429,
  LOGIN_REQUIRED: 503,
  BLOCKED: 502,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_DEGRADED: 503,
};

const DEFAULT_UPSTREAM_RETRY_SECONDS = 30;

/** The VendorError for anything a route threw, and whether it was unexpected (to be logged). */
export function toVendorError(error: unknown): { error: VendorError; unexpected: boolean } {
  if (error instanceof VendorError) return { error, unexpected: false };
  if (isUpstreamError(error)) {
    const headers: Record<string, string> = {};
    if (error.code === 'RATE_LIMITED' || (error.code === 'UPSTREAM_DEGRADED' && error.retryAfterMs !== null)) {
      const seconds = error.retryAfterMs === null ? DEFAULT_UPSTREAM_RETRY_SECONDS : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      headers['Retry-After'] = String(seconds);
    }
    return { error: new VendorError(UPSTREAM_STATUS[error.code], error.code, redactString(error.message), headers), unexpected: false };
  }
  if (isStoreError(error) && error.code === 'STORE_UNAVAILABLE') {
    return { error: new VendorError(503, 'STORE_UNAVAILABLE', 'the event history is unavailable, try again shortly'), unexpected: true };
  }
  return { error: new VendorError(500, 'INTERNAL', 'internal error'), unexpected: true };
}
