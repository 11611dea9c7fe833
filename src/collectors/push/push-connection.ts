// One WebSocket push connection per watched room: heartbeat, ack-before-processing, stall
// detection, reconnect with full-jitter backoff and resume, dedup across reconnects, continuity
// checked on every frame (a hole while connected is resent by resuming from the last cursor),
// and an honest StreamGapEvent only for what the upstream can no longer resend. Signing and URL building stay
// outside (the `endpoint` callback), so this file knows nothing about signers.
import WebSocket from 'ws';
import type { Agent, IncomingMessage } from 'node:http';
import { streamGap, type ConnectionState, type RoomEvent, type StreamGapEvent, type UpstreamEvent } from '../../domain/events.ts';
import { decodeFrame } from '../protocol/decode.ts';
import { HEARTBEAT_FRAME, encodeAck } from '../protocol/frames.ts';
import type { DecodedFrame, DecodeError, DecodeStats } from '../protocol/types.ts';
import { fullJitterDelay, type BackoffPolicy } from '../backoff.ts';
import { errorMessage } from '../errors.ts';
import { cursorPosition, cursorTime, isNumberedPosition, judgeContinuity, judgeResume, type Continuity } from './cursor.ts';
import { DedupWindow } from './dedup-window.ts';
import type { ResumePoint, SavedResumePoint } from '../../domain/resume-point.ts';

export interface PushEndpoint {
  url: string;
  headers: Record<string, string>;
  /** Opens the socket through the room's proxy (HTTP CONNECT or SOCKS5); direct when absent. */
  agent?: Agent;
  /**
   * Where the URL starts the stream when it is not a resume point of the connection's own: the
   * cursor im/fetch gave. The first frame must follow on from it, or messages were skipped.
   */
  startsFrom?: ResumePoint;
}

export interface PushConnectionHooks {
  /**
   * Decoded, deduplicated events, in arrival order, with the point to resume from once they are
   * safely stored (the frame's cursor).
   */
  onEvents(events: RoomEvent[], resume?: ResumePoint | null): void;
  onState?(state: ConnectionState, previous: ConnectionState | null, reason: string | null): void;
  onRawFrame?(direction: 'in' | 'out', bytes: Uint8Array): void;
  onDecodeError?(error: DecodeError): void;
  /** Every frame that decoded, for metrics (kinds, unknown methods). */
  onDecoded?(frame: DecodedFrame): void;
  onDuplicate?(): void;
  /** A reconnect is scheduled after `delayMs` (the backoff chosen for this attempt). */
  onReconnect?(reason: string, delayMs: number): void;
  /**
   * The handshake was refused: `blocked` when Douyin's risk control said so (handshake-status
   * 415), so whoever chose the cookie and proxy can stop using them.
   */
  onHandshakeRefused?(refusal: { blocked: boolean; status: string; reason: string }): void;
  /**
   * The socket failed before it opened (nothing answered: a dead proxy, no route), so whoever
   * chose the route can count it against it as the HTTP calls' no-answers are.
   */
  onUnreachable?(reason: string): void;
}

export interface PushConnectionOptions extends PushConnectionHooks {
  roomId: string;
  /** Builds (and signs) the URL for a connection attempt, resuming when given a point. */
  endpoint(resume: ResumePoint | null): Promise<PushEndpoint>;
  /** Where an earlier process got to: the first connection resumes there and checks for a gap. */
  resumeFrom?: SavedResumePoint | null;
  /** Asked after a drop: false means the broadcast is over and there is nothing to reconnect to. */
  isStillLive?(): Promise<boolean>;
  /** The fastest heartbeat (default 10 s); Douyin's heartbeat_duration may ask for a slower one. */
  heartbeatMs?: number;
  /** No frame for this long means the socket is dead (default 45 s); the heartbeat keeps well inside it. */
  stallMs?: number;
  handshakeTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Backoff after a handshake refusal (DEVICE_BLOCKED): risk control needs a longer pause. */
  blockedBackoff?: BackoffPolicy;
  dedupCapacity?: number;
  /** A window shared with the connections this one replaces (a room moved to another pool pair). */
  dedup?: DedupWindow;
  decodeStats?: DecodeStats;
  random?: () => number;
  now?: () => number;
}

/**
 * Resumes from the last good cursor tried for one hole before it is reported as lost. One is
 * enough: a hole is only seen once frames flow again, so the resume meets a listening upstream.
 */
const RESENDS_PER_HOLE = 1;

const DEFAULTS = {
  heartbeatMs: 10_000,
  stallMs: 45_000,
  handshakeTimeoutMs: 10_000,
  backoff: { baseMs: 1_000, capMs: 60_000 },
  blockedBackoff: { baseMs: 30_000, capMs: 300_000 },
  dedupCapacity: 10_000,
};

export class PushConnection {
  private socket: WebSocket | null = null;
  private state: ConnectionState | null = null;
  private started = false;
  private stopped = false;
  private attempt = 0;
  private blocked = false;
  private resumePoint: ResumePoint | null = null;
  private lastPosition: bigint | null = null;
  private lastMessageAt: number | null = null;
  private awaitingResumeCheck = false;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private stallTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeatMs: number;
  private readonly stallMs: number;
  private readonly dedup: DedupWindow;
  private readonly now: () => number;
  private readonly random: () => number;
  private gapCount = 0;
  private paused = false;
  private resendsForHole = 0;
  /** A frame that came after a hole, kept while a resume from the last cursor tries to fill it. */
  private held: { events: RoomEvent[]; position: bigint; messageCount: number; resume: ResumePoint; at: number } | null = null;
  private resumeUsed = false;
  /** When the stream this connection collects begins (im/fetch's cursor time): a gap at the start runs from here. */
  private startedAt: number | null = null;

  constructor(private readonly options: PushConnectionOptions) {
    this.stallMs = options.stallMs ?? DEFAULTS.stallMs;
    this.heartbeatMs = this.heartbeatInterval(0);
    this.dedup = options.dedup ?? new DedupWindow(options.dedupCapacity ?? DEFAULTS.dedupCapacity);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    if (options.resumeFrom) this.adoptSavedResume(options.resumeFrom);
  }

  /** Continue where an earlier process stopped, judging the first frame as after a reconnect. */
  private adoptSavedResume(saved: SavedResumePoint): void {
    this.resumePoint = { cursor: saved.cursor, internalExt: saved.internalExt };
    this.resumeUsed = true;
    this.lastMessageAt = saved.at;
    const position = cursorPosition(saved.cursor);
    if (isNumberedPosition(position)) this.lastPosition = position;
  }

  /**
   * The stream starts at im/fetch's cursor: its position is what the first frame must follow on
   * from (a skip there is resent from it like any other), unless positions are already known.
   */
  private adoptStart(start: ResumePoint): void {
    if (this.resumePoint !== null || this.lastPosition !== null) return;
    const position = cursorPosition(start.cursor);
    if (!isNumberedPosition(position)) return;
    this.resumePoint = { cursor: start.cursor, internalExt: start.internalExt };
    this.lastPosition = position;
    this.startedAt = cursorTime(start.cursor);
  }

  get connectionState(): ConnectionState | null {
    return this.state;
  }

  start(): void {
    // The socket exists only once the endpoint is built: a second start() meanwhile must not
    // open a second one.
    if (this.stopped || this.started) return;
    this.started = true;
    void this.connect();
  }

  /**
   * Stops reading frames (TCP backpressure reaches the upstream) while the store catches up;
   * stall detection is suspended meanwhile, since the silence is ours.
   */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    this.socket?.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.socket?.resume();
    if (this.socket !== null) this.armStallTimer();
  }

  /** Closes the socket for good; no reconnect follows. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clearTimers();
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.socket?.removeAllListeners();
    this.socket?.on('error', () => {});
    this.socket?.close(1000);
    this.socket = null;
  }

  private async connect(): Promise<void> {
    if (this.state !== 'RECONNECTING') this.setState('CONNECTING', null);
    let endpoint: PushEndpoint;
    try {
      endpoint = await this.options.endpoint(this.resumePoint);
    } catch (error) {
      this.scheduleReconnect(`could not build the push URL: ${errorMessage(error)}`);
      return;
    }
    if (this.stopped) return;
    if (endpoint.startsFrom !== undefined) this.adoptStart(endpoint.startsFrom);
    const socket = new WebSocket(endpoint.url, {
      headers: endpoint.headers,
      handshakeTimeout: this.options.handshakeTimeoutMs ?? DEFAULTS.handshakeTimeoutMs,
      perMessageDeflate: false,
      ...(endpoint.agent === undefined ? {} : { agent: endpoint.agent }),
    });
    socket.binaryType = 'nodebuffer';
    this.socket = socket;
    // A connection opened to resend a hole is judged as a resume, even before any message came.
    this.awaitingResumeCheck = this.lastMessageAt !== null || this.held !== null;
    socket.on('open', () => this.onOpen());
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.onFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    socket.on('unexpected-response', (_request, response: IncomingMessage) => this.onRefused(socket, response));
    let opened = false;
    socket.once('open', () => (opened = true));
    socket.on('error', (error) => {
      if (!opened && this.socket === socket && !this.stopped) this.options.onUnreachable?.(`push connection failed: ${error.message}`);
      this.onSocketGone(socket, `socket error: ${error.message}`);
    });
    socket.on('close', (code, reason) => this.onSocketGone(socket, `closed ${code}${reason.length ? ` ${reason.toString()}` : ''}`));
  }

  private onOpen(): void {
    this.blocked = false;
    if (this.paused) this.socket?.pause();
    this.send(HEARTBEAT_FRAME);
    this.setState('LIVE', null);
    this.armHeartbeat();
    this.armStallTimer();
  }

  private onFrame(bytes: Uint8Array): void {
    this.options.onRawFrame?.('in', bytes);
    this.armStallTimer();
    if (this.state === 'STALLED') this.setState('LIVE', 'frames resumed');
    const result = decodeFrame(bytes, { roomId: this.options.roomId, stats: this.options.decodeStats });
    if (!result.ok) {
      this.options.onDecodeError?.(result.error);
      return;
    }
    const decoded = result.value;
    this.options.onDecoded?.(decoded);
    // Douyin stops streaming to a client that does not ack: ack first, then process.
    if (decoded.ack !== null) this.send(decoded.ack);
    for (const error of decoded.errors) this.options.onDecodeError?.(error);
    const response = decoded.response;
    if (response === null || response.messageCount === 0) {
      // On a connection resumed for a resend, the upstream sends what it can resend first: a frame
      // without messages ahead of it means it resent nothing.
      if (this.held !== null && this.awaitingResumeCheck) this.releaseHeld(response?.now ?? 0);
      if (response === null) return;
    }
    if (response.heartbeatDuration > 0) this.adoptHeartbeat(response.heartbeatDuration * 1000);

    // Judged before dedup admits anything: a frame left out for a resend must come again as new.
    const before = this.checkContinuity(response.cursor, response.messageCount, response.now, decoded.events);
    if (before === 'resend') {
      this.held = { events: decoded.events, position: cursorPosition(response.cursor) as bigint, messageCount: response.messageCount, resume: { cursor: response.cursor, internalExt: response.internalExt }, at: response.now || this.now() };
      this.resendFromLastCursor('messages were skipped: resuming from the last cursor');
      return;
    }
    if (response.cursor !== '') this.resumePoint = { cursor: response.cursor, internalExt: response.internalExt };
    if (response.messageCount > 0) {
      this.lastMessageAt = response.now || this.now();
      this.attempt = 0;
    }
    this.deliver([...before, ...decoded.events]);
    if (decoded.events.some(isLiveEnded)) this.end('the broadcast ended (control message)');
  }

  /** Hands on what dedup lets through (gap events always pass), with the point to resume from. */
  private deliver(events: readonly RoomEvent[]): void {
    const fresh: RoomEvent[] = [];
    for (const event of events) {
      if (event.type === 'StreamGapEvent' || this.dedup.admit(event.id)) fresh.push(event);
      else this.options.onDuplicate?.();
    }
    if (fresh.length > 0) this.options.onEvents(fresh, this.resumePoint);
  }

  /**
   * Decides whether messages were lost before this frame: after a reconnect by judging the resume,
   * while connected by checking that positions follow on. Only numbered cursors (the simulator's)
   * can prove continuity; with Douyin's r-1 or no cursor a reconnect reports a gap, since nothing
   * shows that the upstream re-sent what was missed. A skip is first answered by resuming from
   * the last cursor ('resend'); only a skip the resume did not fill becomes a gap event. Returns
   * what goes before this frame's events: the gap, and a held frame the resume did not bring.
   */
  private checkContinuity(cursor: string, messageCount: number, serverNow: number, events: readonly RoomEvent[]): RoomEvent[] | 'resend' {
    if (messageCount === 0) return [];
    const position = cursorPosition(cursor);
    let verdict: Continuity;
    if (this.awaitingResumeCheck) {
      const allSeen = events.length > 0 && events.every((event) => this.dedup.has(event.id));
      verdict = judgeResume({ resumedWithCursor: this.resumeUsed, previous: this.lastPosition, position, messageCount, allSeen });
      // A replay of messages already received says nothing yet: the next frame decides.
      if (verdict === 'undecided') return [];
    } else {
      verdict = judgeContinuity(this.lastPosition, position, messageCount);
    }
    if (verdict === 'skipped' && this.resendsForHole < RESENDS_PER_HOLE && this.resumePoint !== null && isNumberedPosition(position)) {
      this.resendsForHole += 1;
      return 'resend';
    }
    this.awaitingResumeCheck = false;
    this.resendsForHole = 0;
    if (isNumberedPosition(position)) this.lastPosition = position;
    const held = this.takeHeldUnless(position, messageCount);
    if (verdict === 'complete') return held;
    const reason = verdict === 'skipped' ? 'the upstream could not resend what was skipped, even on resume from the last cursor' : verdict.gap;
    return [this.gapEvent(this.lastMessageAt ?? this.startedAt ?? serverNow, serverNow || this.now(), reason), ...held];
  }

  /**
   * The held frame's events, unless this frame starts at or before it: the upstream's resend is a
   * run of consecutive messages, so it will bring the held ones again, in order.
   */
  private takeHeldUnless(position: bigint | null, messageCount: number): RoomEvent[] {
    const held = this.held;
    this.held = null;
    if (held === null) return [];
    const heldFirst = held.position - BigInt(held.messageCount) + 1n;
    if (isNumberedPosition(position) && position - BigInt(messageCount) + 1n <= heldFirst) return [];
    return held.events;
  }

  /** The resumed connection brought nothing: the hole is lost, the held frame goes on after a gap. */
  private releaseHeld(serverNow: number): void {
    const held = this.held;
    if (held === null) return;
    this.held = null;
    this.awaitingResumeCheck = false;
    this.resendsForHole = 0;
    const gap = this.gapEvent(this.lastMessageAt ?? this.startedAt ?? held.at, serverNow || held.at, 'the upstream resent nothing when resumed from the last cursor');
    this.lastPosition = held.position;
    this.lastMessageAt = held.at;
    this.resumePoint = held.resume;
    this.deliver([gap, ...held.events]);
  }

  private gapEvent(from: number, to: number, reason: string): StreamGapEvent {
    this.gapCount += 1;
    return streamGap({ id: `gap:${this.options.roomId}:${to}:${this.gapCount}`, roomId: this.options.roomId, createdAt: to, from, to, reason });
  }

  private onRefused(socket: WebSocket, response: IncomingMessage): void {
    const status = response.headers['handshake-status'];
    const message = response.headers['handshake-msg'];
    this.blocked = status === '415' || response.statusCode === 200;
    response.resume();
    const why = this.blocked
      ? `handshake refused (${status ?? response.statusCode} ${message ?? ''})`.trim()
      : `handshake failed with HTTP ${response.statusCode}`;
    socket.removeAllListeners();
    socket.on('error', () => {});
    socket.terminate();
    if (this.socket === socket) this.socket = null;
    this.options.onHandshakeRefused?.({ blocked: this.blocked, status: String(status ?? response.statusCode), reason: why });
    this.scheduleReconnect(why);
  }

  private onSocketGone(socket: WebSocket, reason: string): void {
    if (this.socket !== socket) return;
    socket.removeAllListeners();
    socket.on('error', () => {});
    this.socket = null;
    this.clearTimers();
    if (this.stopped || this.state === 'ENDED') return;
    void this.afterDrop(reason);
  }

  private async afterDrop(reason: string): Promise<void> {
    if (this.options.isStillLive !== undefined) {
      const live = await this.options.isStillLive().catch(() => true);
      if (!live) {
        this.end(`the broadcast ended (${reason})`);
        return;
      }
    }
    this.scheduleReconnect(reason);
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped || this.state === 'ENDED') return;
    const policy = this.blocked
      ? (this.options.blockedBackoff ?? DEFAULTS.blockedBackoff)
      : (this.options.backoff ?? DEFAULTS.backoff);
    const delay = fullJitterDelay(this.attempt, policy, this.random);
    this.attempt += 1;
    this.resumeUsed = this.resumePoint !== null;
    this.setState('RECONNECTING', reason);
    this.options.onReconnect?.(reason, delay);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  /**
   * Closes a socket that skipped messages and reconnects at once with the last good cursor, so
   * the upstream resends from there; the skipping frame was left out and comes again.
   */
  private resendFromLastCursor(reason: string): void {
    const socket = this.socket;
    if (socket === null) return;
    socket.removeAllListeners();
    socket.on('error', () => {});
    socket.terminate();
    this.socket = null;
    this.clearTimers();
    this.resumeUsed = true;
    this.setState('RECONNECTING', reason);
    this.options.onReconnect?.(reason, 0);
    void this.connect();
  }

  private end(reason: string): void {
    this.setState('ENDED', reason);
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    socket?.removeAllListeners();
    socket?.on('error', () => {});
    socket?.close(1000);
  }

  private stall(): void {
    const socket = this.socket;
    if (socket === null) return;
    this.setState('STALLED', `no frame for ${this.stallMs} ms`);
    socket.terminate();
  }

  private send(bytes: Uint8Array): void {
    const socket = this.socket;
    if (socket === null || socket.readyState !== WebSocket.OPEN) return;
    socket.send(bytes);
    this.options.onRawFrame?.('out', bytes);
  }

  private adoptHeartbeat(durationMs: number): void {
    const next = this.heartbeatInterval(durationMs);
    if (next === this.heartbeatMs) return;
    this.heartbeatMs = next;
    this.armHeartbeat();
  }

  /**
   * Douyin suggests 15 s; never beat slower than it asks (up to a minute), nor faster than the
   * configured floor. In a quiet room the replies are the only frames, so the beat also stays
   * within a third of the stall window: otherwise a healthy idle connection is taken for stalled.
   */
  private heartbeatInterval(suggestedMs: number): number {
    const floor = this.options.heartbeatMs ?? DEFAULTS.heartbeatMs;
    const wanted = Math.max(floor, Math.min(suggestedMs, 60_000));
    return Math.max(1, Math.min(wanted, Math.floor(this.stallMs / 3)));
  }

  private armHeartbeat(): void {
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => this.send(HEARTBEAT_FRAME), this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** Runs on every frame: an armed timer is pushed back in place rather than replaced. */
  private armStallTimer(): void {
    if (this.paused) {
      if (this.stallTimer !== null) clearTimeout(this.stallTimer);
      this.stallTimer = null;
      return;
    }
    if (this.stallTimer !== null) {
      this.stallTimer.refresh();
      return;
    }
    this.stallTimer = setTimeout(() => this.stall(), this.stallMs);
    this.stallTimer.unref();
  }

  private clearTimers(): void {
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    if (this.stallTimer !== null) clearTimeout(this.stallTimer);
    this.heartbeatTimer = null;
    this.stallTimer = null;
  }

  private setState(state: ConnectionState, reason: string | null): void {
    if (state === this.state) return;
    const previous = this.state;
    this.state = state;
    this.options.onState?.(state, previous, reason);
  }
}

function isLiveEnded(event: UpstreamEvent): boolean {
  return event.type === 'RoomStatusEvent' && event.status === 'ENDED';
}
