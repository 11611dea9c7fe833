// Douyin's quiet refusals of a cookie/proxy pair: the push connection stays up and answers
// heartbeats, but what it delivers is hollow. Two kinds (issue 13), judged per connection:
//   - heartbeat-only: a live connection that delivers no message at all for `silentMs`. Douyin
//     sends every live room its viewer count (RoomUserSeq) several times a minute, even a room of two
//     viewers (the S13-audience recording), so nothing at all means a dead session;
//   - no gifts while busy: a logged-in connection (its cookie carries sessionid) in a room with at
//     least `busyViewers` watching that gets no gift and no rank message for `silentMs`. Douyin
//     hides gifts from sessions it distrusts; a busy room without one for minutes is such a case.
// Anonymous connections are not held to the second rule: Douyin never promised them gifts.
// Pure: the caller feeds it events and connection states, and asks for a verdict on a timer.
import type { RoomEvent } from '../../domain/events.ts';
import type { PairFailure } from './upstream-pool.ts';

export interface SessionWatchOptions {
  /** How long a live connection may go without messages, or without gifts when busy. */
  silentMs: number;
  /** Viewers from which a room counts as busy. */
  busyViewers: number;
}

export const DEFAULT_SESSION_WATCH: SessionWatchOptions = { silentMs: 5 * 60_000, busyViewers: 1000 };

/** Events that prove a session gets what a logged-in viewer sees of the room's gifts. */
const GIFT_PROOF: ReadonlySet<RoomEvent['type']> = new Set(['GiftEvent', 'RankUpdateEvent', 'HourlyRankEvent', 'FanTicketEvent', 'PkContributionEvent']);

/** A Cookie header that logs in (Douyin's session cookie). */
export function isLoggedInCookie(cookie: string | null): boolean {
  return cookie !== null && /(?:^|;\s*)sessionid(?:_ss)?=[^;\s]+/.test(cookie);
}

export class SessionWatch {
  /** When the connection last went LIVE; null while not live (nothing is judged then). */
  private liveSince: number | null = null;
  private lastMessageAt = 0;
  private lastGiftAt = 0;
  private viewers: number | null = null;

  constructor(
    private readonly loggedIn: boolean,
    private readonly options: SessionWatchOptions = DEFAULT_SESSION_WATCH,
  ) {}

  /** The connection's state changed: only LIVE time counts, and each LIVE starts afresh. */
  state(live: boolean, at: number): void {
    if (!live) {
      this.liveSince = null;
      return;
    }
    if (this.liveSince !== null) return;
    this.liveSince = at;
    this.lastMessageAt = at;
    this.lastGiftAt = at;
  }

  observe(events: readonly RoomEvent[], at: number): void {
    for (const event of events) {
      if (event.type === 'ConnectionStateEvent' || event.type === 'StreamGapEvent') continue;
      this.lastMessageAt = at;
      if (GIFT_PROOF.has(event.type)) this.lastGiftAt = at;
      if (event.type === 'ViewerCountEvent') this.viewers = event.current;
    }
  }

  /** Why the pair should be quarantined now, or null while the session looks sound. */
  verdict(now: number): PairFailure | null {
    if (this.liveSince === null) return null;
    const { silentMs, busyViewers } = this.options;
    const minutes = silentMs >= 60_000 ? `${Math.round(silentMs / 6000) / 10} min` : `${Math.round(silentMs / 100) / 10} s`;
    if (now - this.lastMessageAt >= silentMs) {
      return { kind: 'refused', reason: `heartbeat-only session: no message for ${minutes} on a live connection` };
    }
    if (this.loggedIn && this.viewers !== null && this.viewers >= busyViewers && now - this.lastGiftAt >= silentMs) {
      return { kind: 'refused', reason: `no gift or rank message for ${minutes} while ${this.viewers} watch: Douyin withholds gifts from this session` };
    }
    return null;
  }
}
