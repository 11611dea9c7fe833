// Thousands of sockets need as many file descriptors. The soft limit can be raised up to the
// hard one in a shell before the child starts; beyond the hard limit the socket count is capped.
import { execFileSync } from 'node:child_process';

export interface FdLimits {
  soft: number;
  hard: number;
}

export interface FdPlan {
  /** Run the child under `ulimit -n raiseTo` (null: the current soft limit is enough). */
  raiseTo: number | null;
  /** Descriptors the child may use for sockets: `needed`, or less when even the hard limit is short. */
  usable: number;
}

/** Descriptors a process keeps for itself besides sockets (stdio, IPC, files, the event loop). */
export const FD_RESERVE = 128;

export function planFds(needed: number, limits: FdLimits): FdPlan {
  const want = needed + FD_RESERVE;
  if (want <= limits.soft) return { raiseTo: null, usable: needed };
  if (want <= limits.hard) return { raiseTo: want, usable: needed };
  return { raiseTo: limits.hard > limits.soft ? limits.hard : null, usable: Math.max(0, limits.hard - FD_RESERVE) };
}

/** `ulimit -n` and `ulimit -Hn` as this process's children inherit them. */
export function currentFdLimits(): FdLimits {
  const read = (flag: string) => {
    const text = execFileSync('/bin/sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(text);
  };
  return { soft: read('-n'), hard: read('-Hn') };
}
