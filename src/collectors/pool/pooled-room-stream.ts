// A room's push stream over the pool: one push connection through the room's pair at a time.
// When Douyin refuses the pair (handshake 415) or the pool quarantines it for any other reason,
// the connection is replaced by one through a healthy pair, resuming from the last cursor with
// the same dedup window, so the move loses and doubles nothing the upstream can resend. With no
// healthy pair the room says UPSTREAM_DEGRADED and waits for the first pair to come back.
// Douyin's quiet refusals count too: a session that delivers only heartbeats, or a logged-in one
// that gets no gift in a busy room (session-watch.ts), quarantines its pair the same way.
import type { ConnectionState, RoomEvent } from '../../domain/events.ts';
import type { ResumePoint, SavedResumePoint } from '../../domain/resume-point.ts';
import type { PushConnectionHooks } from '../push/push-connection.ts';
import { DedupWindow } from '../push/dedup-window.ts';
import type { RoomStream, RoomStreamHooks } from '../supervisor.ts';
import { DEFAULT_SESSION_WATCH, isLoggedInCookie, SessionWatch, type SessionWatchOptions } from './session-watch.ts';
import type { PoolChange, PoolPair, UpstreamPool } from './upstream-pool.ts';

export interface PooledRoomStreamOptions {
  roomId: string;
  pool: UpstreamPool;
  hooks: RoomStreamHooks;
  resumeFrom: SavedResumePoint | null;
  /** Opens (without starting) a push connection through one pair. */
  connect(pair: PoolPair, hooks: PushConnectionHooks, resumeFrom: SavedResumePoint | null, dedup: DedupWindow): RoomStream;
  /** Told when the room leaves a pair for another (logs, metrics). */
  onMove?(from: PoolPair, to: PoolPair | null, reason: string): void;
  dedupCapacity?: number;
  /** Judges each connection's session (session-watch.ts); null turns it off. */
  sessionWatch?: SessionWatchOptions | null;
  now?: () => number;
}

interface Current {
  pair: PoolPair;
  stream: RoomStream;
  watch: SessionWatch | null;
}

export class PooledRoomStream implements RoomStream {
  private current: Current | null = null;
  private resumePoint: SavedResumePoint | null;
  private readonly dedup: DedupWindow;
  private stopped = false;
  private started = false;
  private ended = false;
  private paused = false;
  private unsubscribe: (() => void) | null = null;
  private state: ConnectionState | null = null;
  private sessionTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly options: PooledRoomStreamOptions) {
    this.resumePoint = options.resumeFrom;
    this.dedup = new DedupWindow(options.dedupCapacity ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  /** The pair the room streams through now; null while degraded. */
  get pair(): PoolPair | null {
    return this.current?.pair ?? null;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.unsubscribe = this.options.pool.onChange((change) => this.onPoolChange(change));
    const watch = this.watchOptions();
    if (watch !== null) {
      // A quarter of the allowed silence: a hollow session is caught within 1.25 times it.
      this.sessionTimer = setInterval(() => this.judgeSession(), Math.max(1000, Math.floor(watch.silentMs / 4)));
      this.sessionTimer.unref();
    }
    this.open();
  }

  /** Quarantines the current pair if its session has gone hollow; the pool's change then moves the room. */
  judgeSession(): void {
    const current = this.current;
    if (this.stopped || current === null || current.watch === null) return;
    const failure = current.watch.verdict(this.now());
    if (failure !== null) this.options.pool.failed(current.pair.id, failure);
  }

  private watchOptions(): SessionWatchOptions | null {
    return this.options.sessionWatch === undefined ? DEFAULT_SESSION_WATCH : this.options.sessionWatch;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    if (this.sessionTimer !== null) clearInterval(this.sessionTimer);
    this.sessionTimer = null;
    this.current?.stream.stop();
    this.current = null;
    this.options.pool.releaseRoom(this.options.roomId);
  }

  pause(): void {
    this.paused = true;
    this.current?.stream.pause?.();
  }

  resume(): void {
    this.paused = false;
    this.current?.stream.resume?.();
  }

  private open(): void {
    if (this.stopped || this.ended || this.current !== null) return;
    const pair = this.options.pool.pairForRoom(this.options.roomId);
    if (pair === null) {
      this.report('UPSTREAM_DEGRADED', this.options.pool.noPairReason(this.options.roomId));
      return;
    }
    let stream: RoomStream | null = null;
    const isCurrent = () => stream !== null && this.current?.stream === stream;
    const watchOptions = this.watchOptions();
    const watch = watchOptions === null ? null : new SessionWatch(isLoggedInCookie(pair.cookie), watchOptions);
    stream = this.options.connect(
      pair,
      {
        onEvents: (events: RoomEvent[], resume?: ResumePoint | null) => {
          if (!isCurrent()) return;
          if (resume) this.resumePoint = { ...resume, at: this.now() };
          watch?.observe(events, this.now());
          this.options.hooks.onEvents(events, resume);
        },
        onState: (state, _previous, reason) => {
          if (!isCurrent()) return;
          if (state === 'ENDED') this.ended = true;
          watch?.state(state === 'LIVE', this.now());
          this.report(state, reason);
        },
        onHandshakeRefused: (refusal) => {
          // Risk control refused this pair: the pool quarantines it, and its change moves the room.
          if (isCurrent() && refusal.blocked) this.options.pool.failed(pair.id, { kind: 'refused', reason: refusal.reason });
        },
        onUnreachable: (reason) => {
          // Nothing answered through this pair's proxy: counted as the HTTP calls' no-answers are,
          // so a dead proxy is quarantined after a few attempts whether or not HTTP calls fail
          // too (the pool never quarantines a direct pair for it: Douyin itself is out of reach).
          if (isCurrent()) this.options.pool.failed(pair.id, { kind: 'no-answer', reason });
        },
      },
      this.resumePoint,
      this.dedup,
    );
    this.current = { pair, stream, watch };
    stream.start();
    if (this.paused) stream.pause?.();
  }

  private onPoolChange(change: PoolChange): void {
    if (this.stopped || this.ended) return;
    const current = this.current;
    if (current === null) {
      // Waiting for a pair: any pair back in service, or a pin released, may give the room one.
      if (change.kind === 'pair' && change.pair.state === 'HEALTHY') this.open();
      else if (change.kind === 'pool' && !change.degraded) this.open();
      else if (change.kind === 'pin' && change.roomId === this.options.roomId) this.open();
      else if (change.kind === 'lists') this.open();
      return;
    }
    if (this.options.pool.suits(this.options.roomId, current.pair.id)) return;
    const reason =
      change.kind === 'pair' && change.pair.id === current.pair.id
        ? (change.pair.lastFailure ?? 'quarantined')
        : !this.options.pool.has(current.pair.id)
          ? 'its cookie or proxy was taken out of the lists'
          : this.options.pool.isHealthy(current.pair.id)
            ? 'pinned to another cookie or proxy'
            : 'quarantined';
    current.stream.stop();
    this.current = null;
    this.open();
    this.options.onMove?.(current.pair, this.current === null ? null : (this.current as Current).pair, reason);
  }

  private report(state: ConnectionState, reason: string | null): void {
    if (state === this.state) return;
    const previous = this.state;
    this.state = state;
    this.options.hooks.onState(state, previous, reason);
  }
}
