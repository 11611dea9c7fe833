// When a failed upstream call is worth retrying, and how long the upstream asked us to wait.
// The jittered delay itself is shared with the push connection (../backoff.ts).
import type { UpstreamError } from '../errors.ts';

/** Failures that a later attempt may not repeat. Not found, login and risk control are answers, not accidents. */
export function isTransient(error: UpstreamError): boolean {
  return error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'RATE_LIMITED';
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}
