// One graphql-ws client socket: graphql-ws's socket adapter, its `extra`, the socket's write
// coalescer, its keep-alive and connection_init deadline, in one object with methods, and the
// socket listeners all sockets share (bench/README.md, "Memory per subscriber").
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CloseCode } from 'graphql-ws';
import { WebSocket, type RawData } from 'ws';
import { SLOW_CONSUMER_REASON } from '../live/slow-consumer.ts';
import type { Logger } from './logger.ts';
import type { GraphQLWsStats } from './graphql-ws.ts';
import type { InternedStrings } from './interned-strings.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { SharedClock, Ticking } from './shared-clock.ts';
import { WriteCoalescer } from './write-coalescer.ts';

/** WebSocket close codes this server sends itself (graphql-ws's CloseCode has the protocol's). */
export const ServerCloseCode = {
  /**
   * RFC 6455 Service Restart: this instance is shutting down (drain). Reconnect — the load
   * balancer sends you to another instance — and resubscribe with `after:` your last cursor.
   * graphql-ws clients retry this code by themselves.
   */
  ServiceRestart: 1012,
  /** The client fell too far behind; reconnect and resume from the last cursor it received. */
  SlowConsumer: 4008,
  /** No valid API token in connectionParams (graphql-ws's own Forbidden). */
  Forbidden: CloseCode.Forbidden,
  InternalServerError: CloseCode.InternalServerError,
} as const;

/** The transport name operations see in their context (`context.transport`). */
export const GRAPHQL_WS_TRANSPORT = 'graphql-ws';

/** What graphql-ws's context carries besides the protocol state (`ctx.extra`): the Connection. */
export interface SocketExtra {
  readonly socket: WebSocket;
  /**
   * The HTTP upgrade request, until connection_init has been answered: it is read to admit the
   * socket (the guard's address), and an idle socket would otherwise keep it for its whole life.
   */
  request: IncomingMessage | null;
  /** Set when connection_init arrives; until then the init deadline runs. */
  initReceived: boolean;
  /** Queues a text frame; a socket holding more than the bound unsent is cut off (4008). */
  send(data: string | Buffer): void;
  cutOff(reason: 'queue' | 'socket'): void;
}

/** What every Connection of one server shares. */
export interface ConnectionHub {
  logger: Logger;
  metrics: GatewayMetrics;
  stats: GraphQLWsStats;
  maxBufferedBytes: number;
  coalescedBytes: number;
  /** 0: no keep-alive pings. */
  keepAliveMs: number;
  /** 0: no deadline for connection_init. */
  initWaitMs: number;
  clock: SharedClock<Connection>;
  /** Subscribe messages' query texts, one copy of each for all sockets. */
  queries: InternedStrings;
}

/** The socket class our server makes, so the listeners below can be one function for all sockets. */
export class GatewaySocket extends WebSocket {
  connection: Connection | null = null;
}

// ws types its listeners' `this` as the base class; our server only makes GatewaySockets.
function connectionOf(socket: WebSocket): Connection | null {
  return socket instanceof GatewaySocket ? socket.connection : null;
}

function onSocketMessage(this: WebSocket, data: RawData): void {
  connectionOf(this)?.receive(data);
}

export function onSocketPong(this: WebSocket): void {
  const connection = connectionOf(this);
  if (connection !== null) connection.answered = true;
}

export function onSocketError(this: WebSocket, error: Error): void {
  connectionOf(this)?.failed(error);
}

export function onSocketClose(this: WebSocket, code: number, reason: Buffer): void {
  connectionOf(this)?.closed(code, reason);
}

const INIT_RECEIVED = 1;
const ANSWERED = 2;
const CUT_OFF = 4;

/** A subscribe message's query text becomes the interned copy (equal text, one string for all). */
function shareQuery(message: { type?: unknown; payload?: unknown }, queries: InternedStrings): void {
  if (message.type !== 'subscribe' || typeof message.payload !== 'object' || message.payload === null) return;
  const payload = message.payload as { query?: unknown };
  if (typeof payload.query === 'string') payload.query = queries.intern(payload.query);
}

/**
 * One client socket: graphql-ws's socket adapter, its `extra` and the socket's write coalescer
 * in one object with methods, rather than a dozen closures and two timers per socket
 * (bench/README.md, "Memory per subscriber"). Keep-alive: every `keepAliveMs` a ping; a socket
 * that did not answer the previous one is cut.
 */
export class Connection extends WriteCoalescer implements SocketExtra, Ticking {
  /** graphql-ws's cleanup, until it has been run. */
  closeOperations: ((code?: number, reason?: string) => Promise<void>) | null = null;
  private handle: ((data: string) => Promise<void>) | null = null;
  /** INIT_RECEIVED, ANSWERED and CUT_OFF in one field rather than three. */
  private flags = ANSWERED;
  private initDeadline: number;
  private nextPingAt: number;

  constructor(
    private readonly hub: ConnectionHub,
    readonly socket: GatewaySocket,
    public request: IncomingMessage | null,
    raw: Duplex,
  ) {
    super(raw, hub.coalescedBytes);
    const now = Date.now();
    this.initDeadline = hub.initWaitMs > 0 ? now + hub.initWaitMs : Number.POSITIVE_INFINITY;
    this.nextPingAt = hub.keepAliveMs > 0 ? now + hub.keepAliveMs : Number.POSITIVE_INFINITY;
    hub.clock.add(this);
  }

  /** Set when connection_init arrives; until then the init deadline runs. */
  get initReceived(): boolean {
    return (this.flags & INIT_RECEIVED) !== 0;
  }

  set initReceived(received: boolean) {
    this.flags = received ? this.flags | INIT_RECEIVED : this.flags & ~INIT_RECEIVED;
  }

  /** Whether the client answered the last ping (a socket that did not by the next one is cut). */
  get answered(): boolean {
    return (this.flags & ANSWERED) !== 0;
  }

  set answered(answered: boolean) {
    this.flags = answered ? this.flags | ANSWERED : this.flags & ~ANSWERED;
  }

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string | Buffer): void {
    const socket = this.socket;
    if (socket.readyState !== socket.OPEN) return;
    this.beforeWrite();
    socket.send(data, { binary: false });
    if (this.afterWrite()) this.checkBuffered();
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    this.handle = handle;
    this.socket.on('message', onSocketMessage);
  }

  receive(data: RawData): void {
    const handle = this.handle;
    if (handle === null) return;
    // graphql-ws holds what it is handed until the message has been handled, which for a
    // subscribe is the subscription's whole life; handed the parsed message (it accepts one), it
    // keeps no copy of the text, and a subscribe's query is the copy all sockets share
    // (hub.queries). Anything but a JSON object goes as it came, for graphql-ws to judge as it
    // always has.
    const text = String(data);
    let message: unknown = text;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) {
        message = parsed;
        shareQuery(parsed as { type?: unknown; payload?: unknown }, this.hub.queries);
      }
    } catch {
      // Not JSON: graphql-ws closes with 4400 on the text itself.
    }
    handle(message as string).catch((error: unknown) => {
      this.hub.logger.error({ err: error }, 'graphql-ws message handling failed');
      if (this.socket.readyState === this.socket.OPEN) this.socket.close(ServerCloseCode.InternalServerError, 'Internal server error');
    });
  }

  cutOff(reason: 'queue' | 'socket'): void {
    const { socket, hub } = this;
    if ((this.flags & CUT_OFF) !== 0 || socket.readyState !== socket.OPEN) return;
    this.flags |= CUT_OFF;
    hub.stats.slowConsumerCloses += 1;
    if (reason === 'socket') hub.metrics.slowConsumers.inc({ transport: GRAPHQL_WS_TRANSPORT, reason });
    hub.logger.info({ reason, bufferedBytes: socket.bufferedAmount }, 'closing a graphql-ws client that fell behind');
    // What is queued still reaches a client that resumes reading, the close frame last; the
    // operations end now, so nothing more is produced for it meanwhile.
    socket.close(ServerCloseCode.SlowConsumer, SLOW_CONSUMER_REASON);
    void this.endOperations(ServerCloseCode.SlowConsumer, SLOW_CONSUMER_REASON);
  }

  tick(now: number): void {
    const socket = this.socket;
    if (now >= this.initDeadline) {
      this.initDeadline = Number.POSITIVE_INFINITY;
      if (!this.initReceived) socket.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }
    if (now < this.nextPingAt) return;
    if (!this.answered) {
      this.nextPingAt = Number.POSITIVE_INFINITY;
      socket.terminate();
      return;
    }
    this.answered = false;
    this.nextPingAt = now + this.hub.keepAliveMs;
    if (socket.readyState === socket.OPEN) socket.ping();
  }

  failed(error: Error): void {
    this.hub.logger.warn({ err: error }, 'graphql-ws socket error');
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(ServerCloseCode.InternalServerError, 'Internal server error');
  }

  closed(code: number, reason: Buffer): void {
    this.hub.clock.delete(this);
    void this.endOperations(code, String(reason));
  }

  protected override flushed(): void {
    this.checkBuffered();
  }

  private checkBuffered(): void {
    const buffered = this.socket.bufferedAmount;
    if (buffered > this.hub.stats.peakBufferedBytes) this.hub.stats.peakBufferedBytes = buffered;
    if (buffered > this.hub.maxBufferedBytes) this.cutOff('socket');
  }

  private endOperations(code: number, reason: string): Promise<void> | undefined {
    const close = this.closeOperations;
    this.closeOperations = null;
    return close?.(code, reason).catch((error: unknown) => this.hub.logger.warn({ err: error }, 'graphql-ws cleanup failed'));
  }
}
