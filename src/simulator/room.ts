// One simulated broadcast at run time: it turns generated messages into a numbered stream,
// keeps the bounded backlog that resumes are served from and the ground truth, batches the
// stream into frames and hands each batch to whoever listens (the push server).
import { BoundedLog } from './bounded-log.ts';
import type { Clock } from './clock.ts';
import { SimulatorError } from './errors.ts';
import { encodeEnvelope } from './frame-encoder.ts';
import type { GenerateContext, GeneratedMessage } from './generators/context.ts';
import type { MessageKind, TruthRecord } from './ground-truth.ts';
import { giftTotals, type GiftTotals } from './ground-truth.ts';
import { IdSequence } from './ids.ts';
import type { Prng } from './prng.ts';
import type { ReplayFrame } from './replay.ts';
import type { RoomModel } from './room-model.ts';
import { AUDIENCE_MIX, FULL_MIX, PERIODIC_INTERVAL_MS, chooseKind, generate, kindAvailable } from './traffic.ts';

export interface PublishedMessage {
  seq: number;
  msgId: string;
  method: string;
  /** The encoded Message envelope, sent as is. */
  envelope: Uint8Array;
  sentAt: number;
}

export interface Batch {
  roomId: string;
  messages: PublishedMessage[];
  nowMs: number;
}

export interface BatchSize {
  min: number;
  max: number;
}

export interface RoomRuntimeOptions {
  /** Audience messages per second when traffic runs by the clock. */
  rate: number;
  /** Share of chats pushed a second time with the same msg_id (Douyin: ~2.4%). */
  duplicateChatRate: number;
  /** Messages per frame. */
  batch: BatchSize;
  backlogSize: number;
  truthCapacity: number;
}

export interface EmitOptions {
  /** Only these kinds (default: the full mix). */
  kinds?: readonly MessageKind[];
  /** Messages per frame for this call (default: the room's batch size). */
  perFrame?: number;
}

export interface RoomSummary {
  roomId: string;
  webRid: string;
  title: string;
  status: 'live' | 'ended';
  anchor: { uid: string; secUid: string; nickname: string };
  rate: number;
  viewers: number;
  lastSeq: number;
  source: 'generated' | 'replay';
}

type Listener = (batch: Batch) => void;

export class SimRoom {
  readonly model: RoomModel;
  readonly backlog: BoundedLog<PublishedMessage>;
  readonly truthLog: BoundedLog<TruthRecord>;
  /** Recorded frames played to each connection instead of generated traffic. */
  readonly replay: readonly ReplayFrame[] | null;
  rate: number;
  duplicateChatRate: number;
  batch: BatchSize;

  private seq = 0;
  private carry = 0;
  private lastAdvanceAt: number;
  private nextPeriodicAt = new Map<MessageKind, number>();
  private pendingDuplicates: { message: GeneratedMessage }[] = [];
  private readonly ids: IdSequence;
  private readonly listeners = new Set<Listener>();
  private readonly endListeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    model: RoomModel,
    private readonly prng: Prng,
    private readonly clock: Clock,
    private readonly imageUrls: (uri: string) => string[],
    slot: number,
    options: RoomRuntimeOptions,
    replay: readonly ReplayFrame[] | null = null,
  ) {
    this.model = model;
    this.ids = new IdSequence(slot);
    this.rate = options.rate;
    this.duplicateChatRate = options.duplicateChatRate;
    this.batch = options.batch;
    this.backlog = new BoundedLog(options.backlogSize);
    this.truthLog = new BoundedLog(options.truthCapacity);
    this.replay = replay;
    this.lastAdvanceAt = clock.now();
  }

  get id(): string {
    return this.model.roomId;
  }

  get webRid(): string {
    return this.model.webRid;
  }

  get isLive(): boolean {
    return this.model.status === 'live';
  }

  /** Seq of the newest message (0 before the first). */
  get lastSeq(): number {
    return this.seq;
  }

  summary(): RoomSummary {
    const { model } = this;
    return {
      roomId: model.roomId,
      webRid: model.webRid,
      title: model.title,
      status: model.status,
      anchor: { uid: model.anchor.id, secUid: model.anchor.secUid, nickname: model.anchor.nickname },
      rate: this.rate,
      viewers: model.viewers,
      lastSeq: this.seq,
      source: this.replay ? 'replay' : 'generated',
    };
  }

  onBatch(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onEnded(listener: () => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /**
   * Sends `count` messages now, batched into frames, and returns their ground truth. With
   * `count` 0 it only flushes chats waiting to be pushed a second time.
   */
  emit(count: number, options: EmitOptions = {}): TruthRecord[] {
    this.assertLive();
    const kinds = options.kinds;
    if (kinds) {
      const unavailable = kinds.filter((kind) => !kindAvailable(kind, this.model) || kind === 'control');
      if (unavailable.length === kinds.length && count > 0) {
        throw new SimulatorError('KIND_UNAVAILABLE', `room ${this.id} cannot send ${kinds.join(', ')}`);
      }
    }
    const mix = kinds ? FULL_MIX.filter(([kind]) => kinds.includes(kind)) : FULL_MIX;
    const generated: GeneratedMessage[] = [];
    for (let i = 0; i < count; i++) {
      const ctx = this.context();
      generated.push(generate(chooseKind(ctx, mix), ctx));
    }
    return this.publishInFrames(generated, options.perFrame);
  }

  /** Sends one message of the given kind now, in a frame of its own. */
  emitKind(kind: MessageKind): TruthRecord {
    this.assertLive();
    if (!kindAvailable(kind, this.model)) throw new SimulatorError('KIND_UNAVAILABLE', `room ${this.id} cannot send ${kind}`);
    const records = this.publishInFrames([generate(kind, this.context())], 1);
    return records[0] as TruthRecord;
  }

  /**
   * Runs the clock-driven schedule for `elapsedMs`: `rate` audience messages per second plus
   * viewer counts, stats and rank updates on their own intervals.
   */
  advance(elapsedMs: number): TruthRecord[] {
    if (!this.isLive || this.replay) return [];
    const generated: GeneratedMessage[] = [];
    const now = this.clock.now();
    for (const [kind, interval] of Object.entries(PERIODIC_INTERVAL_MS) as [MessageKind, number][]) {
      const due = this.nextPeriodicAt.get(kind) ?? now + this.prng.int(0, interval);
      if (now >= due) {
        generated.push(generate(kind, this.context()));
        this.nextPeriodicAt.set(kind, now + Math.round(interval * (0.7 + 0.6 * this.prng.next())));
      } else if (!this.nextPeriodicAt.has(kind)) {
        this.nextPeriodicAt.set(kind, due);
      }
    }
    this.carry += (this.rate * Math.max(0, elapsedMs)) / 1000;
    const count = Math.floor(this.carry);
    this.carry -= count;
    for (let i = 0; i < count; i++) {
      const ctx = this.context();
      generated.push(generate(chooseKind(ctx, AUDIENCE_MIX), ctx));
    }
    return this.publishInFrames(generated);
  }

  /** Starts clock-driven traffic on a timer. */
  start(tickMs: number): void {
    if (this.timer || this.replay) return;
    this.lastAdvanceAt = this.clock.now();
    this.timer = setInterval(() => {
      const now = this.clock.now();
      // A long pause (a suspended laptop) should not turn into one huge burst.
      const elapsed = Math.min(5_000, now - this.lastAdvanceAt);
      this.lastAdvanceAt = now;
      this.advance(elapsed);
    }, tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Ends the broadcast: sends the Control message (action 3) to everyone connected, then
   * tells the listeners so the push server can close the sockets.
   */
  end(): TruthRecord | null {
    if (!this.isLive) return null;
    this.stop();
    const record = this.replay ? null : (this.publishInFrames([generate('control', this.context())], 1)[0] ?? null);
    this.model.status = 'ended';
    this.model.endedAt = this.clock.now();
    for (const listener of this.endListeners) listener();
    return record;
  }

  /** Messages after `seq` still in the backlog, and whether that is all of them. */
  messagesAfter(seq: number): { messages: PublishedMessage[]; complete: boolean } {
    const messages = this.backlog.tailWhile((m) => m.seq <= seq);
    const oldest = this.backlog.first();
    const complete = seq >= this.seq || (oldest !== undefined && oldest.seq <= seq + 1);
    return { messages, complete };
  }

  /** Newest messages, at most `count`. */
  recent(count: number): PublishedMessage[] {
    return this.messagesAfter(Math.max(0, this.seq - count)).messages;
  }

  truth(): TruthRecord[] {
    return this.truthLog.toArray();
  }

  giftTotals(): GiftTotals {
    return giftTotals(this.truth());
  }

  private assertLive(): void {
    if (!this.isLive) throw new SimulatorError('ROOM_ENDED', `room ${this.id} has ended`);
    if (this.replay) throw new SimulatorError('BAD_REQUEST', `room ${this.id} replays a recording and cannot emit`);
  }

  private context(): GenerateContext {
    const nowMs = this.clock.now();
    return { prng: this.prng, nowMs, room: this.model, nextId: () => this.ids.next(nowMs), imageUrls: this.imageUrls };
  }

  private publishInFrames(generated: GeneratedMessage[], perFrame?: number): TruthRecord[] {
    const records: TruthRecord[] = [];
    let offset = 0;
    do {
      const size = Math.max(1, perFrame ?? this.prng.int(this.batch.min, this.batch.max));
      const chunk = generated.slice(offset, offset + size);
      offset += chunk.length;
      const repeats = this.pendingDuplicates;
      this.pendingDuplicates = [];
      const published = repeats.map((repeat) => this.record(repeat.message, records, true));
      for (const message of chunk) published.push(this.record(message, records, false));
      if (published.length > 0) this.publish(published);
    } while (offset < generated.length);
    return records;
  }

  private record(message: GeneratedMessage, records: TruthRecord[], duplicate: boolean): PublishedMessage {
    const sentAt = this.clock.now();
    const published: PublishedMessage = {
      seq: ++this.seq,
      msgId: message.msgId,
      method: message.method,
      // Its own exact-size copy: the encoder's bytes are a view into a shared 8 KiB pool slab,
      // and a backlog of views would keep one slab alive per message (~7.5 KiB each).
      envelope: new Uint8Array(encodeEnvelope(message.method, message.payload, message.msgId)),
      sentAt,
    };
    const truth: TruthRecord = {
      roomId: this.id,
      seq: published.seq,
      msgId: message.msgId,
      method: message.method,
      kind: message.kind,
      sentAt,
      userId: message.userId,
      duplicate,
      ...(message.text === undefined ? {} : { text: message.text }),
      ...(message.gift === undefined ? {} : { gift: message.gift }),
      ...(message.action === undefined ? {} : { action: message.action }),
    };
    this.backlog.push(published);
    this.truthLog.push(truth);
    records.push(truth);
    // Douyin pushes some chats a second time, about a frame later, with the same msg_id.
    if (!duplicate && message.kind === 'chat' && this.prng.chance(this.duplicateChatRate)) {
      this.pendingDuplicates.push({ message });
    }
    return published;
  }

  private publish(messages: PublishedMessage[]): void {
    const batch: Batch = { roomId: this.id, messages, nowMs: this.clock.now() };
    for (const listener of this.listeners) listener(batch);
  }
}
