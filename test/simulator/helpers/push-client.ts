// A raw push client for the simulator's tests: a real `ws` socket that queues every frame it
// receives, decodes it, acks when told to, and offers waits on real conditions with deadlines.
import WebSocket from 'ws';
import { decodeFrame } from '../../../src/collectors/protocol/decode.ts';
import { HEARTBEAT_FRAME } from '../../../src/collectors/protocol/frames.ts';
import type { FrameResult } from '../../../src/collectors/protocol/types.ts';
import { ackFrame, decodeServerFrame, type DecodedMessage, type DecodedServerFrame } from './frames.ts';

export interface ReceivedFrame {
  raw: Uint8Array;
  /** The wire view (every field), decoded independently of the project's decoder. */
  decoded: DecodedServerFrame | null;
  /** Why the wire view failed, for deliberately broken frames. */
  error: string | null;
  /** What the project's decoder makes of the frame: events, errors and the ack to send. */
  result: FrameResult;
}

export interface PushClientOptions {
  /** Send the decoder's ack for every frame that asks for one (default true). */
  autoAck?: boolean;
  /** The room the decoder filters messages by. */
  roomId?: string;
  /** A Cookie header for the handshake (faults aimed at one cookie). */
  cookie?: string;
}

export class PushTestClient {
  readonly frames: ReceivedFrame[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters = new Set<() => void>();

  private constructor(
    readonly ws: WebSocket,
    private readonly options: PushClientOptions,
  ) {
    ws.on('message', (data: Buffer) => this.onFrame(new Uint8Array(data)));
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static connect(url: string, options: PushClientOptions = {}): Promise<PushTestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options.cookie === undefined ? {} : { headers: { cookie: options.cookie } });
      const client = new PushTestClient(ws, options);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Every msg frame that decoded. */
  msgFrames(): DecodedServerFrame[] {
    return this.frames.flatMap((f) => (f.decoded?.payloadType === 'msg' ? [f.decoded] : []));
  }

  messages(): DecodedMessage[] {
    return this.msgFrames().flatMap((f) => f.messages);
  }

  heartbeats(): DecodedServerFrame[] {
    return this.frames.flatMap((f) => (f.decoded?.payloadType === 'hb' ? [f.decoded] : []));
  }

  sendHeartbeat(): void {
    this.ws.send(HEARTBEAT_FRAME);
  }

  /** The ack the project's decoder wrote for a received frame. */
  decoderAck(index: number): Uint8Array {
    const result = this.frames[index]?.result;
    if (!result?.ok || !result.value.ack) throw new Error(`frame ${index} has no ack`);
    return result.value.ack;
  }

  /** A hand-made ack, for acks that are deliberately wrong. */
  ack(frame: DecodedServerFrame, internalExt = frame.response?.internalExt as string): void {
    this.ws.send(ackFrame(frame.logId, internalExt));
  }

  /** Resolves once `condition` holds, checking after every frame; rejects at the deadline. */
  waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what} (${this.frames.length} frames received)`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  waitForMessages(count: number): Promise<void> {
    return this.waitFor(() => this.messages().length >= count, `${count} messages`);
  }

  waitForClose(): Promise<{ code: number; reason: string }> {
    return this.waitFor(() => this.closed !== null, 'close').then(() => this.closed as { code: number; reason: string });
  }

  /**
   * A heartbeat round trip: every frame the server sent before answering it has arrived, so
   * "nothing else came" can be asserted without sleeping.
   */
  async roundTrip(): Promise<void> {
    const before = this.heartbeats().length;
    this.sendHeartbeat();
    await this.waitFor(() => this.heartbeats().length > before, 'heartbeat reply');
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }

  private onFrame(raw: Uint8Array): void {
    let decoded: DecodedServerFrame | null = null;
    let error: string | null = null;
    try {
      decoded = decodeServerFrame(raw);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const result = decodeFrame(raw, this.options.roomId === undefined ? {} : { roomId: this.options.roomId });
    this.frames.push({ raw, decoded, error, result });
    if (result.ok && result.value.ack && (this.options.autoAck ?? true)) this.ws.send(result.value.ack);
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Opens a handshake that should be refused and returns how it was answered. */
export function refusedHandshake(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the handshake was accepted'));
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    ws.once('error', (error) => reject(error));
  });
}

/** A push URL for a room with the query parameters Douyin's web client sends. */
export function pushUrlFor(base: string, roomId: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    app_name: 'douyin_web',
    version_code: '180800',
    webcast_sdk_version: '1.0.15',
    compress: 'gzip',
    device_platform: 'web',
    identity: 'audience',
    user_unique_id: '7300000000000000001',
    room_id: roomId,
    need_persist_msg_count: '15',
    heartbeatDuration: '0',
    ...extra,
  });
  return `${base}/webcast/im/push/v2/?${params.toString()}`;
}
