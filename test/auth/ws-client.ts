// A raw graphql-ws protocol client for tests: queues every frame so a test can wait for the
// exact message or close code it expects.
import WebSocket from 'ws';

export interface Frame {
  type: string;
  id?: string;
  payload?: any;
}

export class RawWsClient {
  private readonly frames: Frame[] = [];
  private readonly waiters: (() => void)[] = [];
  private closed: { code: number; reason: string } | null = null;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  static async open(url: string): Promise<RawWsClient> {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RawWsClient(socket);
  }

  send(frame: Frame): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** Sends connection_init and resolves with the ack, or rejects with the close. */
  async init(payload: Record<string, unknown>): Promise<Frame> {
    this.send({ type: 'connection_init', payload });
    return this.waitForMessage((frame) => frame.type === 'connection_ack');
  }

  subscribe(id: string, query: string): void {
    this.send({ type: 'subscribe', id, payload: { query } });
  }

  complete(id: string): void {
    this.send({ type: 'complete', id });
  }

  async waitForMessage(match: (frame: Frame) => boolean): Promise<Frame> {
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0] as Frame;
      if (this.closed !== null) throw new Error(`closed ${this.closed.code} ${this.closed.reason} while waiting`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async waitForClose(): Promise<{ code: number; reason: string }> {
    while (this.closed === null) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.closed;
  }

  close(): void {
    this.socket.close(1000);
  }

  /** Stops reading: what the server sends piles up in the kernel, then in the server's socket buffer. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
