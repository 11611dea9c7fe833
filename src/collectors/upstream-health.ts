// Whether Douyin can be reached at all, judged from every HTTP call: a call that got no
// answer (network error, timeout) counts toward UNREACHABLE, any answer — even a refusal —
// proves the route works. Start-up and /ready report it; a change is reported once.
import type { UpstreamCall, UpstreamCallObserver } from './http/observer.ts';

export type UpstreamReach = 'UNKNOWN' | 'REACHABLE' | 'UPSTREAM_UNREACHABLE';

export interface UpstreamHealthSnapshot {
  reach: UpstreamReach;
  /** Why the last call got no answer; null once one did. */
  lastFailure: string | null;
  /** ms since the epoch of the last change. */
  since: number;
}

export interface UpstreamHealthOptions {
  /**
   * Calls in a row without an answer before the upstream counts as unreachable (default 1:
   * with no ttwid, the calls behind it are not even attempted, so one failure may be all there is).
   */
  failuresToUnreachable?: number;
  onChange?(snapshot: UpstreamHealthSnapshot, previous: UpstreamReach): void;
  now?: () => number;
}

export class UpstreamHealth implements UpstreamCallObserver {
  private reach: UpstreamReach = 'UNKNOWN';
  private failuresInARow = 0;
  private lastFailure: string | null = null;
  private since: number;
  private readonly now: () => number;

  constructor(private readonly options: UpstreamHealthOptions = {}) {
    this.now = options.now ?? Date.now;
    this.since = this.now();
  }

  onCall(call: UpstreamCall): void {
    if (call.status !== null) {
      this.failuresInARow = 0;
      this.lastFailure = null;
      this.change('REACHABLE');
      return;
    }
    if (call.outcome !== 'UPSTREAM_UNAVAILABLE') return;
    this.failuresInARow += 1;
    this.lastFailure = `${call.endpoint}: no answer (network error or timeout)`;
    if (this.failuresInARow >= (this.options.failuresToUnreachable ?? 1)) this.change('UPSTREAM_UNREACHABLE');
  }

  snapshot(): UpstreamHealthSnapshot {
    return { reach: this.reach, lastFailure: this.lastFailure, since: this.since };
  }

  get unreachable(): boolean {
    return this.reach === 'UPSTREAM_UNREACHABLE';
  }

  private change(next: UpstreamReach): void {
    if (next === this.reach) return;
    const previous = this.reach;
    this.reach = next;
    this.since = this.now();
    this.options.onChange?.(this.snapshot(), previous);
  }
}
