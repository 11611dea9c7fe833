// Client load for the fan-out and memory benches, in its own process: N WebSockets, each one
// subscriber (graphql-ws: connection_init, then one subscribe; raw: just listen). It counts the
// chats every socket receives and, knowing from the parent when each event id was sent, records
// send-to-receipt latency in a histogram. Started by bench/lib/child.ts.
import WebSocket from 'ws';
import { BROADCAST_OPERATION_ID, chatFramePrefix, fastChatId } from '../lib/chat-frame.ts';
import { LatencyHistogram, type HistogramData } from '../lib/histogram.ts';
import { serveRpc } from '../lib/rpc.ts';

export type ClientProtocol = 'graphql-ws' | 'raw';

export interface ConnectParams {
  url: string;
  protocol: ClientProtocol;
  /** Sockets to add. */
  count: number;
  query?: string;
  variables?: Record<string, unknown>;
  /** Connections opened at once. */
  concurrency?: number;
}

export interface ClientReport {
  sockets: number;
  /** Chats received since the phase began, summed over sockets. */
  delivered: number;
  /** Sockets that received at least one chat since the phase began. */
  covered: number;
  latency: HistogramData;
  /** Receipts of ids the parent did not say it sent in this phase (stragglers of an earlier one). */
  unmatched: number;
  /** Chat receipts since the process started, matched or not. */
  received: number;
  /** `error` messages, unexpected `complete`s and sockets that closed. */
  errors: number;
  firstError: string | null;
  /** This client process's CPU time since the phase began, µs: shows when the clients were the bottleneck. */
  cpuMicros: number;
}

interface Subscriber {
  socket: WebSocket;
  delivered: number;
  /**
   * Unique across the client processes, so a frame meant for another subscriber (sent to the
   * wrong socket, or with another's id) is caught: graphql-ws requires each its own.
   */
  operationId: string;
  chatPrefix: Buffer;
}

let opened = 0;

const subscribers: Subscriber[] = [];
let delivered = 0;
let covered = 0;
let errors = 0;
let firstError: string | null = null;
let histogram = new LatencyHistogram();
let sentAt = new Map<string, number>();
let early = new Map<string, [Subscriber, number][]>();
/** Every chat receipt, matched or not: quiet when nothing is in flight any more. */
let received = 0;
let waiters: { threshold: number; resolve: () => void }[] = [];
let closing = false;
let phaseCpu = process.cpuUsage();

function fail(reason: string): void {
  errors += 1;
  firstError ??= reason;
}

/**
 * A receipt counts once the parent has said it sent that id in this phase: stragglers of an
 * earlier phase (or of the readiness probes) are never mistaken for this phase's deliveries.
 */
function onChat(subscriber: Subscriber, eventId: string, receivedAt: number): void {
  received += 1;
  const sent = sentAt.get(eventId);
  if (sent !== undefined) {
    deliver(subscriber, receivedAt - sent);
    return;
  }
  // The socket beat the parent's IPC notice (or the event is a straggler from before the phase).
  const list = early.get(eventId);
  if (list === undefined) early.set(eventId, [[subscriber, receivedAt]]);
  else list.push([subscriber, receivedAt]);
}

function deliver(subscriber: Subscriber, latencyMs: number): void {
  histogram.record(latencyMs);
  if (subscriber.delivered === 0) covered += 1;
  subscriber.delivered += 1;
  delivered += 1;
  if (waiters.length > 0 && delivered >= (waiters[0] as { threshold: number }).threshold) {
    const ready = waiters.filter((waiter) => delivered >= waiter.threshold);
    waiters = waiters.filter((waiter) => delivered < waiter.threshold);
    for (const waiter of ready) waiter.resolve();
  }
}

interface NextMessage {
  id?: string;
  type?: string;
  payload?: { data?: { roomEvents?: { __typename?: string; id?: string } } | null; errors?: unknown };
}

function onMessage(subscriber: Subscriber, data: WebSocket.RawData, ready: () => void): void {
  const receivedAt = Date.now();
  if (Buffer.isBuffer(data)) {
    const chatId = fastChatId(data, subscriber.chatPrefix);
    if (chatId !== null) {
      onChat(subscriber, chatId, receivedAt);
      return;
    }
  }
  let message: NextMessage;
  try {
    message = JSON.parse(String(data)) as NextMessage;
  } catch {
    fail('a frame that is not JSON');
    return;
  }
  if (message.type === 'connection_ack') {
    ready();
    return;
  }
  if (message.type === 'ping') {
    subscriber.socket.send('{"type":"pong"}');
    return;
  }
  if (message.type === 'next' && message.id === subscriber.operationId) {
    const event = message.payload?.data?.roomEvents;
    if (message.payload?.errors !== undefined) fail(`errors: ${JSON.stringify(message.payload.errors).slice(0, 200)}`);
    else if (event?.__typename === 'ChatEvent' && typeof event.id === 'string') onChat(subscriber, event.id, receivedAt);
    return;
  }
  if (message.type === 'next') fail(`a next for operation ${String(message.id)} on the socket of ${subscriber.operationId}`);
  else if (message.type === 'error' || message.type === 'complete') fail(`${message.type}: ${JSON.stringify(message.payload ?? null).slice(0, 200)}`);
}

function open(params: ConnectParams): Promise<void> {
  return new Promise((resolve, reject) => {
    const graphqlWs = params.protocol === 'graphql-ws';
    const socket = new WebSocket(params.url, graphqlWs ? 'graphql-transport-ws' : undefined, { perMessageDeflate: false });
    opened += 1;
    const operationId = graphqlWs ? `${process.pid}-${opened}` : BROADCAST_OPERATION_ID;
    const subscriber: Subscriber = { socket, delivered: 0, operationId, chatPrefix: chatFramePrefix(operationId) };
    let settled = false;
    const ready = () => {
      if (settled) return;
      settled = true;
      if (graphqlWs) {
        socket.send(JSON.stringify({ id: operationId, type: 'subscribe', payload: { query: params.query, variables: params.variables ?? {} } }));
      }
      subscribers.push(subscriber);
      resolve();
    };
    socket.on('open', () => {
      if (graphqlWs) socket.send('{"type":"connection_init","payload":{}}');
      else ready();
    });
    socket.on('message', (data) => onMessage(subscriber, data, ready));
    socket.on('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
    socket.on('close', (code, reason) => {
      if (!settled) {
        settled = true;
        reject(new Error(`closed ${code} ${String(reason)} before the subscription started`));
      } else if (!closing) fail(`socket closed ${code} ${String(reason)}`);
    });
  });
}

async function connect(params: ConnectParams): Promise<{ sockets: number; failed: number; firstFailure: string | null }> {
  const concurrency = Math.max(1, params.concurrency ?? 100);
  let remaining = params.count;
  let failed = 0;
  let firstFailure: string | null = null;
  const worker = async () => {
    while (remaining > 0) {
      remaining -= 1;
      await open(params).catch((error: unknown) => {
        failed += 1;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, params.count) }, worker));
  return { sockets: subscribers.length, failed, firstFailure };
}

function beginPhase(): void {
  delivered = 0;
  covered = 0;
  errors = 0;
  firstError = null;
  histogram = new LatencyHistogram();
  sentAt = new Map();
  early = new Map();
  for (const subscriber of subscribers) subscriber.delivered = 0;
  phaseCpu = process.cpuUsage();
}

function noteSent(items: [string, number][]): void {
  for (const [id, at] of items) {
    sentAt.set(id, at);
    const receipts = early.get(id);
    if (receipts === undefined) continue;
    early.delete(id);
    for (const [subscriber, receivedAt] of receipts) deliver(subscriber, receivedAt - at);
  }
}

function reach(params: { delivered: number; timeoutMs: number }): Promise<{ delivered: number }> {
  if (delivered >= params.delivered) return Promise.resolve({ delivered });
  return new Promise((resolve, reject) => {
    const waiter = {
      threshold: params.delivered,
      resolve: () => {
        clearTimeout(timer);
        resolve({ delivered });
      },
    };
    const timer = setTimeout(() => {
      waiters = waiters.filter((other) => other !== waiter);
      const each = params.delivered / Math.max(1, subscribers.length);
      const short = subscribers.filter((subscriber) => subscriber.delivered < each).length;
      reject(
        new Error(
          `${delivered} of ${params.delivered} deliveries after ${params.timeoutMs} ms, ${short} of ${subscribers.length} sockets short ` +
            `(${errors} errors${firstError ? `: ${firstError}` : ''})`,
        ),
      );
    }, params.timeoutMs);
    waiters.push(waiter);
    waiters.sort((a, b) => a.threshold - b.threshold);
  });
}

function report(): ClientReport {
  let unmatched = 0;
  for (const receipts of early.values()) unmatched += receipts.length;
  const cpu = process.cpuUsage(phaseCpu);
  return { sockets: subscribers.length, delivered, covered, latency: histogram.toJSON(), unmatched, received, errors, firstError, cpuMicros: cpu.user + cpu.system };
}

async function closeAll(): Promise<void> {
  closing = true;
  waiters = [];
  const closed = subscribers.splice(0).map(
    ({ socket }) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.terminate();
      }),
  );
  await Promise.all(closed);
  beginPhase();
  closing = false;
}

serveRpc({
  connect,
  phase: () => beginPhase(),
  sent: (params: { items: [string, number][] }) => noteSent(params.items),
  reach,
  report,
  reset: () => closeAll(),
  stop: async () => {
    await closeAll();
    setImmediate(() => process.exit(0));
  },
});
