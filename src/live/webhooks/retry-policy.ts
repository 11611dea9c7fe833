// When a failed delivery is tried again: exponential backoff with full jitter, until the
// delivery's retry window (24 h by default) has passed; then it is a dead letter.
import { fullJitterDelay, type BackoffPolicy } from '../../collectors/backoff.ts';

export interface RetryPolicy extends BackoffPolicy {
  /** How long after it was written (or redelivered) a delivery keeps being retried. */
  maxAgeMs: number;
}

export type Verdict = { kind: 'delivered' } | { kind: 'disable' } | { kind: 'retry'; at: number } | { kind: 'dead' };

/** 2xx is done, 410 Gone disables the webhook, anything else (other statuses, no answer) retries. */
export function judgeAttempt(
  status: number | null,
  attempts: number,
  expiresAt: number,
  now: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): Verdict {
  if (status !== null && status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'disable' };
  // At least 1 ms, so a zero draw never makes the row due in the same claim round.
  const at = now + Math.max(1, fullJitterDelay(attempts - 1, policy, random));
  return at > expiresAt ? { kind: 'dead' } : { kind: 'retry', at };
}
