// Exponential backoff with full jitter: the wait before retry n is uniform in
// [0, min(cap, base·2^n)], so many rooms failing or reconnecting together after one network
// blip spread out instead of hammering the upstream in lockstep.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(attempt, 0));
  return Math.floor(random() * ceiling);
}
