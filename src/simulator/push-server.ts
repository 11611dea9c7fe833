// The push WebSocket at /webcast/im/push/v2/ on the simulator's HTTP port: checks the
// handshake the way Douyin does, fans each room's batches out to its connections and closes
// them after the end-of-live Control message.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from './clock.ts';
import { parseCookieHeader, type FaultRegistry, type RequestCookies } from './faults.ts';
import { newTtLogId } from './ids.ts';
import type { Prng } from './prng.ts';
import { PushConnection, type AckPolicy, type ConnectionInfo } from './push-connection.ts';
import type { ReplayPace } from './replay.ts';
import type { RequestLog } from './request-log.ts';
import type { SimRoom } from './room.ts';

export const PUSH_PATH = '/webcast/im/push/v2/';

export interface PushServerOptions {
  ack: AckPolicy;
  /** Require a `signature` query parameter (Douyin has since mid-2024). */
  requireSignature: boolean;
  /** Decides whether a signature is valid; by default any 16-character signature is. */
  verifySignature?: (query: Record<string, string>) => boolean;
  maxBufferedBytes: number;
  replayPace: ReplayPace;
}

export interface PushServerDeps {
  clock: Clock;
  faults: FaultRegistry;
  requestLog: RequestLog;
  prng: Prng;
  findRoom(roomId: string): SimRoom | undefined;
  options: PushServerOptions;
}

const SIGNATURE = /^[A-Za-z0-9+/=_-]{16}$/;
/** Closed connections stay listed for inspection, up to this many. */
const CLOSED_KEPT = 1_000;

export class PushServer {
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
  private readonly byId = new Map<string, PushConnection>();
  private readonly byRoom = new Map<string, Set<PushConnection>>();
  private connectionCount = 0;

  constructor(private readonly deps: PushServerDeps) {}

  /** Starts fanning a room's batches out to its connections. */
  attach(room: SimRoom): void {
    room.onBatch((batch) => {
      for (const connection of this.byRoom.get(batch.roomId) ?? []) connection.deliver(batch.messages);
    });
    room.onEnded(() => {
      for (const connection of this.byRoom.get(room.id) ?? []) connection.close(1000, 'live ended');
    });
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void {
    const entry = this.deps.requestLog.record('ws', request.method ?? 'GET', url, this.deps.clock.now());
    if (url.pathname !== PUSH_PATH) {
      entry.status = 404;
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    const roomId = query.room_id ?? '';
    const refusal = this.deps.faults.forHandshake(roomId, parseCookieHeader(request.headers.cookie));
    if (refusal) this.deps.faults.consume(refusal);
    if (refusal || !/^\d{1,20}$/.test(roomId) || !this.signatureAccepted(query)) {
      entry.status = 200;
      this.refuse(socket);
      return;
    }
    entry.status = 101;
    const cookies = parseCookieHeader(request.headers.cookie);
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, roomId, query, cookies));
  }

  connections(): ConnectionInfo[] {
    return [...this.byId.values()].map((c) => c.info());
  }

  connection(id: string): PushConnection | undefined {
    return this.byId.get(id);
  }

  close(): void {
    for (const connection of this.byId.values()) connection.terminate();
    this.byId.clear();
    this.byRoom.clear();
    this.wss.close();
  }

  private forgetOldClosed(): void {
    const closed = [...this.byId.values()].filter((c) => c.isClosed);
    for (const connection of closed.slice(0, Math.max(0, closed.length - CLOSED_KEPT))) this.byId.delete(connection.id);
  }

  private signatureAccepted(query: Record<string, string>): boolean {
    if (!this.deps.options.requireSignature) return true;
    const verify = this.deps.options.verifySignature ?? ((q: Record<string, string>) => SIGNATURE.test(q.signature ?? ''));
    return verify(query);
  }

  /** Douyin's refusal: HTTP 200 with an empty body and the reason in handshake-* headers. */
  private refuse(socket: Duplex): void {
    socket.end(
      [
        'HTTP/1.1 200 OK',
        'server: Tengine',
        'content-length: 0',
        'handshake-status: 415',
        'handshake-msg: DEVICE_BLOCKED',
        `x-tt-logid: ${newTtLogId(this.deps.prng, this.deps.clock.now())}`,
        'connection: close',
        '',
        '',
      ].join('\r\n'),
    );
  }

  private accept(ws: WebSocket, roomId: string, query: Record<string, string>, cookies: RequestCookies): void {
    const id = `conn-${++this.connectionCount}`;
    const room = this.deps.findRoom(roomId);
    const connection = new PushConnection(id, roomId, room, ws, query, {
      clock: this.deps.clock,
      faults: this.deps.faults,
      prng: this.deps.prng.fork(id),
      ack: this.deps.options.ack,
      maxBufferedBytes: this.deps.options.maxBufferedBytes,
      cookies,
    });
    this.byId.set(id, connection);
    ws.on('close', () => {
      this.byRoom.get(roomId)?.delete(connection);
      this.forgetOldClosed();
    });
    // An ended room (or an old room_id) connects but stays silent, as Douyin's does.
    if (!room || !room.isLive) return;
    let members = this.byRoom.get(roomId);
    if (!members) {
      members = new Set();
      this.byRoom.set(roomId, members);
    }
    members.add(connection);
    if (room.replay) connection.replay(room.replay, this.deps.options.replayPace);
    else connection.resume(query.cursor);
  }
}
