// Retries with exponential backoff and full jitter: the wait before retry n is uniform in
// [0, min(cap, base·2^n)], so many rooms failing together do not come back together.
import type { UpstreamError } from '../errors.ts';

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export function fullJitterDelay(retry: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

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
