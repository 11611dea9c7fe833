// Exponential backoff with full jitter: many rooms reconnecting after one network blip spread
// out instead of hammering the upstream in lockstep.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(attempt, 0));
  return Math.floor(random() * ceiling);
}
