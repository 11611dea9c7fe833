// Upstream failures as typed errors with stable codes: the API layer reports the code to
// clients (extensions.code, vendor `msg`) and never has to parse a message.

export type UpstreamErrorCode =
  | 'ROOM_NOT_FOUND'
  | 'LOGIN_REQUIRED'
  | 'RATE_LIMITED'
  | 'BLOCKED'
  | 'UPSTREAM_UNAVAILABLE'
  /** This caller's share of the upstream is used up (queue too long, or too many calls in one request). */
  | 'UPSTREAM_BUSY'
  /** Every cookie/proxy pair of the pool is quarantined (DOUYIN_COOKIES, DOUYIN_PROXIES). */
  | 'UPSTREAM_DEGRADED';

export class UpstreamError extends Error {
  readonly code: UpstreamErrorCode;
  /** Milliseconds to wait before trying again, when the upstream said. */
  readonly retryAfterMs: number | null;

  constructor(code: UpstreamErrorCode, message: string, options: { retryAfterMs?: number | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UpstreamError';
    this.code = code;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

export const roomNotFound = (what: string) => new UpstreamError('ROOM_NOT_FOUND', `room ${what} does not exist`);
export const loginRequired = (what: string) =>
  new UpstreamError('LOGIN_REQUIRED', `${what} needs a logged-in Douyin cookie (set DOUYIN_COOKIE)`);
export const rateLimited = (retryAfterMs: number | null) =>
  new UpstreamError('RATE_LIMITED', 'the upstream is rate limiting this gateway', { retryAfterMs });
export const blocked = (why: string) => new UpstreamError('BLOCKED', `the upstream refused the request (risk control): ${why}`);
export const unavailable = (why: string, cause?: unknown) =>
  new UpstreamError('UPSTREAM_UNAVAILABLE', `the upstream is unavailable: ${why}`, { cause });

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}

/** The message of a thrown value, for reasons and logs: anything can be thrown, not only Errors. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
