// One push WebSocket, server side: wraps each batch of the room in a gzip'd msg frame, answers
// the client's heartbeats, checks its acks and, like Douyin, stops streaming to a client that
// does not ack. Faults aimed at this connection (stall, drop, corrupt) are applied here.
import { gunzipSync } from 'node:zlib';
import type { WebSocket } from 'ws';
import type { Clock } from './clock.ts';
import { cursorSeq, formatCursor, pushInternalExt, roomCursorPosition } from './cursor.ts';
import type { FaultRegistry, RequestCookies } from './faults.ts';
import { HEARTBEAT_SECONDS, encodeCorruptMsgFrame, encodeMsgFrame, encodeResponse, encodeServerHeartbeat, type MsgFrameFields } from './frame-encoder.ts';
import type { Prng } from './prng.ts';
import { protoType } from './proto.ts';
import type { ReplayFrame, ReplayPace } from './replay.ts';
import type { PublishedMessage, SimRoom } from './room.ts';

export interface AckPolicy {
  /** Frames that may await an ack at once; one more and the stream stops. 0 turns the check off. */
  maxUnacked: number;
  /** The stream also stops when a frame has waited this long for its ack. 0 turns it off. */
  timeoutMs: number;
  /** What "stops" means: keep the socket and send no more msg frames, or close it (1008). */
  onMissing: 'stall' | 'close';
}

export interface ConnectionDeps {
  clock: Clock;
  faults: FaultRegistry;
  prng: Prng;
  ack: AckPolicy;
  /** Above this many bytes queued on the socket the client is too slow and is cut off. */
  maxBufferedBytes: number;
  /** The Cookie header of the handshake, by name (faults aimed at one cookie of a pool). */
  cookies?: RequestCookies;
}

/** What a session Douyin distrusts does not get: gifts, and the rank messages that follow them. */
const GIFT_METHODS: ReadonlySet<string> = new Set([
  'WebcastGiftMessage',
  'WebcastRoomRankMessage',
  'WebcastRanklistHourEntranceMessage',
  'WebcastUpdateFanTicketMessage',
  'WebcastLinkerContributeMessage',
]);

export type ResumeOutcome = 'none' | 'full' | 'partial';

export interface ConnectionInfo {
  id: string;
  roomId: string;
  /** Whether room_id named a room the simulator has (unknown rooms connect but stay silent). */
  knownRoom: boolean;
  openedAt: number;
  query: Record<string, string>;
  /** What the `cursor` query parameter achieved. */
  resume: ResumeOutcome;
  /** msg frames sent, corrupt ones included. */
  framesSent: number;
  messagesSent: number;
  heartbeatsReceived: number;
  heartbeatsAnswered: number;
  acks: number;
  /** Acks for an unknown log_id or with the wrong internal_ext. */
  badAcks: number;
  /** Client frames that were not a valid PushFrame. */
  badClientFrames: number;
  unacked: number;
  /** Why the stream to this client stopped, or null. */
  cutOff: string | null;
  closed: boolean;
}

interface Outstanding {
  internalExt: string;
  sentAt: number;
  /** Corrupt frames may be acked but are not held against the client. */
  required: boolean;
}

const RESUME_FRAME_SIZE = 20;
/** Acks remembered per connection when no policy bounds them (a client that never acks). */
const MAX_OUTSTANDING = 10_000;

function uint64Text(value: unknown): string {
  if (value === null || value === undefined) return '0';
  return typeof value === 'number' ? String(value) : String((value as { toString(): string }).toString());
}

export class PushConnection {
  private seqId = 0;
  private logId: bigint;
  private readonly internalExt: string;
  private readonly outstanding = new Map<string, Outstanding>();
  private requiredOutstanding = 0;
  private readonly dropCounters = new Map<string, number>();
  private readonly replayTimers = new Set<NodeJS.Timeout>();
  private stats = { framesSent: 0, messagesSent: 0, heartbeatsReceived: 0, heartbeatsAnswered: 0, acks: 0, badAcks: 0, badClientFrames: 0 };
  private cutOffReason: string | null = null;
  private closed = false;
  private resumeOutcome: ResumeOutcome = 'none';
  readonly openedAt: number;

  constructor(
    readonly id: string,
    readonly roomId: string,
    readonly room: SimRoom | undefined,
    private readonly ws: WebSocket,
    private readonly query: Record<string, string>,
    private readonly deps: ConnectionDeps,
  ) {
    this.openedAt = deps.clock.now();
    this.logId = BigInt(`4${deps.prng.digits(18)}`);
    this.internalExt = pushInternalExt(this.openedAt, `7${deps.prng.digits(18)}`);
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onClientFrame(data, isBinary));
    ws.on('close', () => this.onClosed());
    ws.on('error', () => this.onClosed());
  }

  info(): ConnectionInfo {
    return {
      id: this.id,
      roomId: this.roomId,
      knownRoom: this.room !== undefined,
      openedAt: this.openedAt,
      query: { ...this.query },
      resume: this.resumeOutcome,
      ...this.stats,
      unacked: this.requiredOutstanding,
      cutOff: this.cutOffReason,
      closed: this.closed,
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Re-sends what the client missed since its `cursor`, from the room's backlog. */
  resume(cursor: string | undefined): void {
    if (!this.room || !cursor) return;
    const seq = cursorSeq(this.room.id, cursor, this.room.lastSeq);
    if (seq === null) return;
    const { messages, complete } = this.room.messagesAfter(seq);
    this.resumeOutcome = complete ? 'full' : 'partial';
    for (let i = 0; i < messages.length; i += RESUME_FRAME_SIZE) this.deliver(messages.slice(i, i + RESUME_FRAME_SIZE));
  }

  /** Sends one batch of the room as one msg frame, unless faults or the ack policy say no. */
  deliver(all: readonly PublishedMessage[]): void {
    const hiding = this.deps.faults.hidesGifts(this.roomId, this.id, this.deps.cookies ?? {});
    const messages = hiding ? all.filter((m) => !GIFT_METHODS.has(m.method)) : all;
    if (messages.length === 0 || !this.mayStream()) return;
    if (this.checkAckPolicy() || this.checkBackpressure()) return;
    const now = this.deps.clock.now();
    const last = messages[messages.length - 1] as PublishedMessage;
    // A hidden message must not show as a hole in the positions, or the client would take the
    // quiet refusal for a loss and resume: such a session gets Douyin's own r-1 cursors.
    const cursor = formatCursor(now, hiding ? 1n : roomCursorPosition(this.roomId, last.seq));
    const response = encodeResponse(
      messages.map((m) => m.envelope),
      { cursor, nowMs: now, internalExt: this.internalExt, needAck: true, heartbeatDuration: HEARTBEAT_SECONDS },
    );
    const fields = (): MsgFrameFields => ({ seqId: ++this.seqId, logId: this.nextLogId(), cursor, internalExt: this.internalExt, nowMs: now, response });
    for (const rule of this.deps.faults.forConnection('corrupt-frame', this.roomId, this.id)) {
      this.deps.faults.consume(rule);
      const broken = fields();
      this.send(encodeCorruptMsgFrame(broken, rule.fault.corruption), broken.logId, false);
    }
    const frame = fields();
    this.send(encodeMsgFrame(frame), frame.logId, true);
    this.stats.messagesSent += messages.length;
    this.applyDropFaults();
  }

  /** Plays recorded frames byte for byte. */
  replay(frames: readonly ReplayFrame[], pace: ReplayPace): void {
    const first = frames[0]?.atMs ?? 0;
    for (const frame of frames) {
      if (pace === 'immediate' || frame.atMs <= first) {
        this.sendRecorded(frame.bytes);
        continue;
      }
      const timer = setTimeout(() => {
        this.replayTimers.delete(timer);
        this.sendRecorded(frame.bytes);
      }, frame.atMs - first);
      this.replayTimers.add(timer);
    }
  }

  /** Closes with a close frame after what is already queued (the end-of-live Control). */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
    this.onClosed();
  }

  private mayStream(): boolean {
    if (this.closed || this.cutOffReason !== null) return false;
    return this.deps.faults.forConnection('stall', this.roomId, this.id).length === 0;
  }

  /** True when the client has fallen too far behind on acks and was cut off. */
  private checkAckPolicy(): boolean {
    const { maxUnacked, timeoutMs } = this.deps.ack;
    if (maxUnacked > 0 && this.requiredOutstanding >= maxUnacked) return this.cutOff(`${this.requiredOutstanding} frames unacked`);
    if (timeoutMs > 0 && this.requiredOutstanding > 0) {
      const waited = this.deps.clock.now() - this.oldestRequiredSentAt();
      if (waited >= timeoutMs) return this.cutOff(`no ack for ${waited} ms`);
    }
    return false;
  }

  private checkBackpressure(): boolean {
    return this.ws.bufferedAmount > this.deps.maxBufferedBytes ? this.cutOff(`${this.ws.bufferedAmount} bytes queued`) : false;
  }

  /** Frames are remembered in send order, so the first required one is the oldest. */
  private oldestRequiredSentAt(): number {
    for (const waiting of this.outstanding.values()) if (waiting.required) return waiting.sentAt;
    return this.deps.clock.now();
  }

  private cutOff(reason: string): true {
    this.cutOffReason = reason;
    if (this.deps.ack.onMissing === 'close') this.ws.close(1008, 'ack missing');
    return true;
  }

  private nextLogId(): string {
    this.logId += BigInt(this.deps.prng.int(1, 40));
    return this.logId.toString();
  }

  private send(bytes: Uint8Array, logId: string, required: boolean): void {
    this.ws.send(bytes, { binary: true });
    this.remember(logId, { internalExt: this.internalExt, sentAt: this.deps.clock.now(), required });
    this.stats.framesSent += 1;
  }

  private remember(logId: string, waiting: Outstanding): void {
    this.outstanding.set(logId, waiting);
    if (waiting.required) this.requiredOutstanding += 1;
    if (this.outstanding.size > MAX_OUTSTANDING) {
      const [oldestId, oldest] = this.outstanding.entries().next().value as [string, Outstanding];
      this.forget(oldestId, oldest);
    }
  }

  private forget(logId: string, waiting: Outstanding): void {
    this.outstanding.delete(logId);
    if (waiting.required) this.requiredOutstanding -= 1;
  }

  private applyDropFaults(): void {
    for (const rule of this.deps.faults.forConnection('drop-after-frames', this.roomId, this.id)) {
      const sent = (this.dropCounters.get(rule.id) ?? 0) + 1;
      this.dropCounters.set(rule.id, sent);
      if (sent >= rule.fault.frames) {
        this.deps.faults.consume(rule);
        this.terminate();
        return;
      }
    }
  }

  private sendRecorded(bytes: Uint8Array): void {
    if (!this.mayStream()) return;
    this.ws.send(bytes, { binary: true });
    this.stats.framesSent += 1;
    this.trackRecordedAck(bytes);
  }

  /**
   * Recorded msg frames can be acked: remember their log_id and the internal_ext their
   * Response carries (what a client echoes; the header copy sometimes differs).
   */
  private trackRecordedAck(bytes: Uint8Array): void {
    try {
      const frame = protoType('PushFrame').decode(bytes) as unknown as {
        log_id: unknown;
        payload_type: string;
        payload: Uint8Array;
        headers: { key: string; value: string }[];
      };
      if (frame.payload_type !== 'msg') return;
      const response = protoType('Response').decode(gunzipSync(frame.payload)) as unknown as { internal_ext: string };
      this.remember(uint64Text(frame.log_id), { internalExt: response.internal_ext, sentAt: this.deps.clock.now(), required: false });
    } catch {
      // A recording may hold deliberately broken frames: they are sent, not tracked.
    }
  }

  private onClientFrame(data: Buffer, isBinary: boolean): void {
    let frame: { log_id: unknown; payload_type: string; payload: Uint8Array };
    try {
      if (!isBinary) throw new Error('text frame');
      frame = protoType('PushFrame').decode(data) as unknown as typeof frame;
    } catch {
      this.stats.badClientFrames += 1;
      return;
    }
    if (frame.payload_type === 'hb') this.answerHeartbeat();
    else if (frame.payload_type === 'ack') this.takeAck(uint64Text(frame.log_id), Buffer.from(frame.payload).toString('utf8'));
  }

  private answerHeartbeat(): void {
    this.stats.heartbeatsReceived += 1;
    if (this.closed || this.deps.faults.forConnection('stall', this.roomId, this.id).length > 0) return;
    this.ws.send(encodeServerHeartbeat(++this.seqId, this.deps.clock.now()), { binary: true });
    this.stats.heartbeatsAnswered += 1;
  }

  private takeAck(logId: string, internalExt: string): void {
    const waiting = this.outstanding.get(logId);
    if (!waiting || waiting.internalExt !== internalExt) {
      this.stats.badAcks += 1;
      return;
    }
    this.forget(logId, waiting);
    this.stats.acks += 1;
  }

  private onClosed(): void {
    this.closed = true;
    for (const timer of this.replayTimers) clearTimeout(timer);
    this.replayTimers.clear();
  }
}
