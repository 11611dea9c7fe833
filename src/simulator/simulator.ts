// The Simulator: an offline Douyin that speaks the real protocol on one port (HTTP endpoints
// and the push WebSocket), with live rooms, faults on demand, the log of upstream calls and
// the ground truth of every message sent. Tests drive it in-process; main.ts runs it alone.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from './clock.ts';
import { handleControl } from './control-routes.ts';
import { SimulatorError } from './errors.ts';
import { FaultRegistry, parseCookieHeader, type Fault, type FaultRule, type FaultTarget } from './faults.ts';
import type { GiftTotals, TruthRecord } from './ground-truth.ts';
import { captchaReply, challengeReply, emptyReply, findUpstreamRoute, notFound, type Reply, type RoomDirectory, type RouteDeps, type UpstreamRequest } from './http-routes.ts';
import { SimulatorHttpServer, sendReply } from './http-server.ts';
import { imageUrls } from './json-builders/context.ts';
import { createPrng, type Prng } from './prng.ts';
import type { AckPolicy, ConnectionInfo } from './push-connection.ts';
import { PUSH_PATH, PushServer } from './push-server.ts';
import { parseRecordedFrames, type ReplayFrame, type ReplayPace } from './replay.ts';
import { RequestLog, type RequestFilter, type RequestLogEntry } from './request-log.ts';
import { createRoomModel, type RoomModelSpec } from './room-model.ts';
import { SimRoom, type BatchSize } from './room.ts';

export interface RoomSpec extends RoomModelSpec {
  /** Audience messages per second when traffic runs by the clock. */
  rate?: number;
  duplicateChatRate?: number;
  batch?: BatchSize;
  /** false creates the room already ended. */
  live?: boolean;
}

export interface ReplayRoomSpec {
  /** Recorded frames, or the text of a frames.jsonl file (its `in` lines are played). */
  frames: readonly ReplayFrame[] | string;
  /** The recording's room_id, so decoders filtering by room accept its messages. */
  roomId: string;
  webRid?: string;
  title?: string;
}

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Makes rooms, users and traffic reproducible; random by default. */
  seed?: string | number;
  /**
   * When the rooms created at start began broadcasting, ms (now by default). A room_id holds its
   * start time, so with the seed this fixes their ids across runs.
   */
  roomsStartedAt?: number;
  clock?: Clock;
  /** Rooms to create at start; a number creates that many default ones. */
  rooms?: readonly RoomSpec[] | number;
  /** Run each room's traffic on a timer (default true); false leaves it to emit()/tick(). */
  autoTraffic?: boolean;
  tickMs?: number;
  duplicateChatRate?: number;
  batch?: BatchSize;
  /** Messages kept per room for resumes. */
  backlogSize?: number;
  /** Ground-truth records kept per room. */
  truthCapacity?: number;
  requestLogCapacity?: number;
  ack?: Partial<AckPolicy>;
  /** Check the push `signature` and HTTP `a_bogus` parameters (off by default). */
  requireSignature?: boolean;
  verifySignature?: (query: Record<string, string>) => boolean;
  rankListRequiresLogin?: boolean;
  replayPace?: ReplayPace;
  maxBufferedBytes?: number;
}

/** A fault, or a room action the fault API also accepts. */
export type SimulatorFault = Fault | { kind: 'duplicate-chats'; rate: number } | { kind: 'end-live' };

export interface FaultRequest {
  target?: FaultTarget;
  fault: SimulatorFault;
  times?: number;
}

/** Rooms the standalone simulator and `npm start` open with: from a quiet room to a busy one. */
export const DEFAULT_ROOMS: readonly RoomSpec[] = [
  { rate: 2, viewers: 180 },
  { rate: 12, viewers: 9_800, goods: true },
  { rate: 40, viewers: 77_000 },
  { rate: 150, viewers: 306_000, goods: true },
];

const DEFAULTS = {
  host: '127.0.0.1',
  tickMs: 250,
  duplicateChatRate: 0.024,
  batch: { min: 1, max: 20 },
  backlogSize: 5_000,
  truthCapacity: 1_000_000,
  requestLogCapacity: 100_000,
  // Busy rooms send a few hundred frames per tick; a client that acks keeps well below this.
  ack: { maxUnacked: 1_000, timeoutMs: 30_000, onMissing: 'stall' } satisfies AckPolicy,
  maxBufferedBytes: 16 << 20,
  replayPace: 'recorded' as ReplayPace,
};

function defaultRoomSpecs(count: number): RoomSpec[] {
  return Array.from({ length: count }, (_, i) => DEFAULT_ROOMS[i % DEFAULT_ROOMS.length] as RoomSpec);
}

export class Simulator implements RoomDirectory {
  readonly clock: Clock;
  readonly seed: string;
  private readonly prng: Prng;
  private readonly faultRegistry = new FaultRegistry();
  private readonly requestLog: RequestLog;
  private readonly roomsById = new Map<string, SimRoom>();
  private readonly roomsByWebRid = new Map<string, SimRoom[]>();
  private readonly push: PushServer;
  private readonly http: SimulatorHttpServer;
  private readonly routeDeps: RouteDeps;
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly hung = new Set<ServerResponse>();
  private roomCount = 0;
  private port = 0;
  private stopped = false;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.seed = String(options.seed ?? randomBytes(6).toString('hex'));
    this.prng = createPrng(this.seed);
    this.requestLog = new RequestLog(options.requestLogCapacity ?? DEFAULTS.requestLogCapacity);
    this.push = new PushServer({
      clock: this.clock,
      faults: this.faultRegistry,
      requestLog: this.requestLog,
      prng: this.prng.fork('push'),
      findRoom: (roomId) => this.roomsById.get(roomId),
      options: {
        ack: { ...DEFAULTS.ack, ...options.ack },
        requireSignature: options.requireSignature ?? false,
        ...(options.verifySignature ? { verifySignature: options.verifySignature } : {}),
        maxBufferedBytes: options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes,
        replayPace: options.replayPace ?? DEFAULTS.replayPace,
      },
    });
    this.routeDeps = {
      clock: this.clock,
      prng: this.prng.fork('http'),
      baseUrl: () => this.url,
      pushUrl: () => this.pushEndpoint,
      rooms: this,
      options: { requireSignature: options.requireSignature ?? false, rankListRequiresLogin: options.rankListRequiresLogin ?? false },
    };
    this.http = new SimulatorHttpServer({
      upstream: (request, url, body, response) => this.serveUpstream(request, url, body, response),
      control: (method, url, body) => handleControl(this, method, url, body),
      upgrade: (request, socket, head, url) => this.push.handleUpgrade(request, socket, head, url),
    });
  }

  /** HTTP base, e.g. http://127.0.0.1:4100 */
  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  /** WebSocket base, e.g. ws://127.0.0.1:4100 (the push path is /webcast/im/push/v2/). */
  get pushUrl(): string {
    return `ws://${this.host}:${this.port}`;
  }

  /** The full push endpoint, as im/fetch's push_server gives it. */
  get pushEndpoint(): string {
    return `${this.pushUrl}${PUSH_PATH}`;
  }

  get host(): string {
    return this.options.host ?? DEFAULTS.host;
  }

  async listen(): Promise<void> {
    this.port = await this.http.listen(this.options.port ?? 0, this.host);
    const specs = typeof this.options.rooms === 'number' ? defaultRoomSpecs(this.options.rooms) : (this.options.rooms ?? DEFAULT_ROOMS);
    for (const spec of specs) this.createRoom(spec, this.options.roomsStartedAt);
  }

  // ---- rooms ----

  rooms(): SimRoom[] {
    return [...this.roomsById.values()];
  }

  liveRooms(): SimRoom[] {
    return this.rooms().filter((room) => room.isLive);
  }

  byRoomId(roomId: string): SimRoom | undefined {
    return this.roomsById.get(roomId);
  }

  byWebRid(webRid: string): SimRoom | undefined {
    const broadcasts = this.roomsByWebRid.get(webRid) ?? [];
    return broadcasts.find((room) => room.isLive) ?? broadcasts[broadcasts.length - 1];
  }

  bySecUid(secUid: string): SimRoom | undefined {
    const webRid = [...this.roomsByWebRid.values()].find((broadcasts) => broadcasts[0]?.model.anchor.secUid === secUid)?.[0]?.webRid;
    return webRid === undefined ? undefined : this.byWebRid(webRid);
  }

  /** A room by room_id or web_rid. */
  room(id: string): SimRoom | undefined {
    return this.byRoomId(id) ?? this.byWebRid(id);
  }

  /** The room, or a ROOM_NOT_FOUND error. */
  requireRoom(id: string): SimRoom {
    const room = this.room(id);
    if (!room) throw new SimulatorError('ROOM_NOT_FOUND', `no room ${id}`);
    return room;
  }

  createRoom(spec: RoomSpec = {}, startedAt = this.clock.now()): SimRoom {
    const slot = ++this.roomCount;
    const roomPrng = this.prng.fork(`room:${slot}`);
    const model = createRoomModel(spec, roomPrng, startedAt);
    if (this.roomsById.has(model.roomId)) throw new SimulatorError('BAD_REQUEST', `room ${model.roomId} exists`);
    const room = new SimRoom(model, roomPrng.fork('traffic'), this.clock, (uri) => imageUrls(this.url, uri), slot, {
      rate: spec.rate ?? 5,
      duplicateChatRate: spec.duplicateChatRate ?? this.options.duplicateChatRate ?? DEFAULTS.duplicateChatRate,
      batch: spec.batch ?? this.options.batch ?? DEFAULTS.batch,
      backlogSize: this.options.backlogSize ?? DEFAULTS.backlogSize,
      truthCapacity: this.options.truthCapacity ?? DEFAULTS.truthCapacity,
    });
    this.register(room);
    if (spec.live === false) room.end();
    else if (this.options.autoTraffic ?? true) room.start(this.options.tickMs ?? DEFAULTS.tickMs);
    return room;
  }

  /** A room whose push connections receive recorded frames byte for byte. */
  createReplayRoom(spec: ReplayRoomSpec): SimRoom {
    const frames = typeof spec.frames === 'string' ? parseRecordedFrames(spec.frames) : spec.frames;
    const slot = ++this.roomCount;
    const roomPrng = this.prng.fork(`room:${slot}`);
    const model = createRoomModel({ roomId: spec.roomId, webRid: spec.webRid, title: spec.title, goods: false }, roomPrng, this.clock.now());
    const room = new SimRoom(
      model,
      roomPrng.fork('traffic'),
      this.clock,
      (uri) => imageUrls(this.url, uri),
      slot,
      { rate: 0, duplicateChatRate: 0, batch: DEFAULTS.batch, backlogSize: 1, truthCapacity: 1 },
      frames,
    );
    this.register(room);
    return room;
  }

  /** Ends the anchor's current broadcast and starts a new one (a new room_id, same web_rid). */
  restartRoom(id: string, spec: RoomSpec = {}): SimRoom {
    const previous = this.requireRoom(id);
    previous.end();
    return this.createRoom({ ...spec, anchor: previous.model.anchor, webRid: previous.webRid, rate: spec.rate ?? previous.rate });
  }

  endRoom(id: string): TruthRecord | null {
    return this.requireRoom(id).end();
  }

  /** Runs every live room's clock-driven traffic for `elapsedMs` (one timer tick by default). */
  tick(elapsedMs: number = this.options.tickMs ?? DEFAULTS.tickMs): TruthRecord[] {
    return this.liveRooms().flatMap((room) => room.advance(elapsedMs));
  }

  groundTruth(id: string): TruthRecord[] {
    return this.requireRoom(id).truth();
  }

  giftTotals(id: string): GiftTotals {
    return this.requireRoom(id).giftTotals();
  }

  // ---- faults ----

  /** Adds a fault rule and returns its id, or applies a room action at once and returns null. */
  injectFault(request: FaultRequest): string | null {
    const target = request.target ?? {};
    const { fault } = request;
    if (fault.kind === 'duplicate-chats' || fault.kind === 'end-live') {
      const rooms = target.roomId ? [this.requireRoom(target.roomId)] : this.liveRooms();
      for (const room of rooms) {
        if (fault.kind === 'end-live') room.end();
        else room.duplicateChatRate = Math.min(1, Math.max(0, fault.rate));
      }
      return null;
    }
    return this.faultRegistry.add(target, fault, request.times).id;
  }

  clearFaults(id?: string): void {
    if (id === undefined) this.faultRegistry.clear();
    else this.faultRegistry.remove(id);
  }

  faults(): FaultRule[] {
    return this.faultRegistry.list();
  }

  // ---- observation ----

  requests(filter?: RequestFilter): RequestLogEntry[] {
    return this.requestLog.list(filter);
  }

  requestCounts(kind?: 'http' | 'ws'): Record<string, number> {
    return this.requestLog.countByPath(kind);
  }

  clearRequests(): void {
    this.requestLog.clear();
  }

  connections(): ConnectionInfo[] {
    return this.push.connections();
  }

  /** Drops one push connection now, as a network failure would. */
  dropConnection(id: string): void {
    const connection = this.push.connection(id);
    if (!connection) throw new SimulatorError('BAD_REQUEST', `no connection ${id}`);
    connection.terminate();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const room of this.roomsById.values()) room.stop();
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    for (const response of this.hung) response.destroy();
    this.hung.clear();
    this.push.close();
    await this.http.close();
  }

  private register(room: SimRoom): void {
    this.roomsById.set(room.id, room);
    const broadcasts = this.roomsByWebRid.get(room.webRid) ?? [];
    broadcasts.push(room);
    this.roomsByWebRid.set(room.webRid, broadcasts);
    this.push.attach(room);
  }

  private serveUpstream(request: IncomingMessage, url: URL, body: string, response: ServerResponse): Reply | null {
    const method = request.method ?? 'GET';
    const entry = this.requestLog.record('http', method, url, this.clock.now());
    const route = findUpstreamRoute(url.pathname);
    const upstreamRequest: UpstreamRequest = { method, url, cookies: parseCookieHeader(request.headers.cookie), body };
    const answer = (): Reply => {
      const reply = route ? route(upstreamRequest, this.routeDeps) : notFound();
      entry.status = reply.status;
      return reply;
    };
    const rule = route ? this.faultRegistry.forHttp(url.pathname, upstreamRequest.cookies) : undefined;
    if (!rule) return answer();
    this.faultRegistry.consume(rule);
    const fault = rule.fault;
    switch (fault.kind) {
      case 'hang':
        this.hung.add(response);
        response.on('close', () => this.hung.delete(response));
        return null;
      case 'delay': {
        const timer = setTimeout(() => {
          this.pending.delete(timer);
          sendReply(response, answer());
        }, fault.ms);
        this.pending.add(timer);
        return null;
      }
      case 'rate-limit':
        entry.status = 429;
        return { status: 429, headers: { 'retry-after': String(fault.retryAfterSeconds) }, body: '' };
      case 'empty-body':
        entry.status = 200;
        return emptyReply();
      case 'captcha':
        entry.status = 200;
        return captchaReply();
      case 'challenge':
        entry.status = 200;
        return challengeReply();
      case 'status':
        entry.status = fault.status;
        return { status: fault.status, headers: { 'content-length': '0' }, body: '' };
    }
  }
}

/** Starts a simulator listening on options.host:options.port (127.0.0.1, a free port by default). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = new Simulator(options);
  await simulator.listen();
  return simulator;
}

