// The client child processes of a bench seen as one pool of subscribers: grow it, start a
// measurement phase, wait until every subscriber has received so many events, collect reports.
import type { ClientReport, ConnectParams } from '../clients/ws-clients.ts';
import type { BenchChild } from './child.ts';
import { LatencyHistogram } from './histogram.ts';
import type { LoadSource } from './load-source.ts';

/** The subscriber count split over the client processes: [334, 333, 333]. */
export function splitCount(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

export interface PoolReport {
  sockets: number;
  /** Subscribers that received at least one of this phase's chats. */
  covered: number;
  /** This phase's deliveries, summed over every subscriber. */
  delivered: number;
  /** Every chat receipt so far, this phase's or not. */
  received: number;
  errors: number;
  firstError: string | null;
  latency: LatencyHistogram;
  /** CPU time of the client processes this phase, µs. */
  cpuMicros: number;
}

export class ClientPool {
  readonly sockets: number[];

  constructor(readonly children: BenchChild[]) {
    this.sockets = children.map(() => 0);
  }

  get total(): number {
    return this.sockets.reduce((sum, count) => sum + count, 0);
  }

  /** Opens sockets until there are `total` (split evenly); returns the count reached. */
  async grow(total: number, connect: Omit<ConnectParams, 'count'>): Promise<{ reached: number; failure: string | null }> {
    const targets = splitCount(total, this.children.length).map((target, i) => Math.min(target, (this.children[i] as BenchChild).usableSockets));
    let failure: string | null = null;
    await Promise.all(
      this.children.map(async (child, i) => {
        const count = (targets[i] as number) - (this.sockets[i] as number);
        if (count <= 0) return;
        const result = await child.call<{ sockets: number; failed: number; firstFailure: string | null }>('connect', { ...connect, count }, 120_000);
        this.sockets[i] = result.sockets;
        if (result.failed > 0) failure ??= `${result.failed} sockets failed to connect: ${result.firstFailure}`;
      }),
    );
    return { reached: this.total, failure };
  }

  /** Closes every socket (the processes stay, for the next server). */
  async reset(): Promise<void> {
    await Promise.all(this.children.map((child) => child.call('reset', undefined, 60_000)));
    this.sockets.fill(0);
  }

  notifySent(items: [string, number][]): void {
    for (const child of this.children) child.notify('sent', { items });
  }

  phase(): Promise<unknown> {
    return Promise.all(this.children.map((child) => child.call('phase')));
  }

  /** Resolves once every subscriber has received `events` chats this phase. */
  reach(events: number, timeoutMs: number): Promise<unknown> {
    return Promise.all(this.children.map((child, i) => child.call('reach', { delivered: events * (this.sockets[i] as number), timeoutMs }, timeoutMs + 5_000)));
  }

  async report(): Promise<PoolReport> {
    const reports = await Promise.all(this.children.map((child) => child.call<ClientReport>('report')));
    const latency = new LatencyHistogram();
    for (const report of reports) latency.merge(report.latency);
    const sum = (pick: (report: ClientReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
    return {
      sockets: sum((report) => report.sockets),
      covered: sum((report) => report.covered),
      delivered: sum((report) => report.delivered),
      received: sum((report) => report.received),
      errors: sum((report) => report.errors),
      firstError: reports.find((report) => report.firstError !== null)?.firstError ?? null,
      latency,
      cpuMicros: sum((report) => report.cpuMicros),
    };
  }

  /**
   * Waits until no chat has arrived for a while: the stragglers of the last phase are in, so
   * they neither load the server nor the clients during the next one. Bounded by `maxMs`.
   */
  async settle(quietMs = 150, maxMs = 10_000): Promise<void> {
    const deadline = performance.now() + maxMs;
    let previous = -1;
    while (performance.now() < deadline) {
      const { received } = await this.report();
      if (received === previous) return;
      previous = received;
      await delay(quietMs);
    }
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Emits single chats until every subscriber has received one: the subscriptions are live. A
 * new probe goes out only once the last one has stopped arriving, so a slow server is not
 * buried under probes before the measurement starts.
 */
export async function waitUntilLive(source: LoadSource, clients: ClientPool, timeoutMs: number): Promise<void> {
  await clients.phase();
  const deadline = performance.now() + timeoutMs;
  let lastReceived: number | null = null;
  for (;;) {
    const report = await clients.report();
    if (report.covered >= report.sockets) break;
    if (performance.now() > deadline) {
      throw new Error(`${report.covered} of ${report.sockets} subscribers received a chat within ${timeoutMs} ms (${report.errors} errors${report.firstError ? `: ${report.firstError}` : ''})`);
    }
    if (report.received === lastReceived || lastReceived === null) clients.notifySent(source.emit(1));
    lastReceived = report.received;
    await delay(100);
  }
  await clients.settle();
}
