// What the collector tests share: a simulator as the upstream, the project's HTTP client against
// it, PushConnections that record everything they report, and waits on real conditions.
import { DouyinHttpClient } from '../../../src/collectors/http/index.ts';
import { createPushEndpoint } from '../../../src/collectors/push/endpoint.ts';
import { PushConnection, type PushConnectionOptions } from '../../../src/collectors/push/push-connection.ts';
import { noSigner } from '../../../src/collectors/signer/none.ts';
import { DEFAULT_PROFILE } from '../../../src/collectors/http/browser-profile.ts';
import { createDecodeStats } from '../../../src/collectors/protocol/stats.ts';
import type { DecodeError, DecodeStats } from '../../../src/collectors/protocol/types.ts';
import type { ConnectionState, RoomEvent, StreamGapEvent } from '../../../src/domain/events.ts';
import { startSimulator, type Simulator, type SimulatorOptions, type TruthRecord } from '../../../src/simulator/index.ts';
import { until } from '../../support/until.ts';

/** Short enough that recovery takes milliseconds, long enough to tell the policies apart. */
export const FAST_BACKOFF = { baseMs: 10, capMs: 50 };

export { until };

export function httpClient(sim: Simulator): DouyinHttpClient {
  return new DouyinHttpClient({
    webUrl: sim.url,
    reflowUrl: sim.url,
    timeoutMs: 5_000,
    retries: 0,
    ratePerSec: 10_000,
    rateBurst: 10_000,
  });
}

export interface Recorded {
  events: RoomEvent[];
  states: { state: ConnectionState; previous: ConnectionState | null; reason: string | null }[];
  decodeErrors: DecodeError[];
  duplicates: number;
  reconnects: { reason: string; delayMs: number | undefined }[];
  frames: { direction: 'in' | 'out'; bytes: Uint8Array }[];
  stats: DecodeStats;
}

export interface OpenedPush {
  connection: PushConnection;
  recorded: Recorded;
  /** Upstream events (not gaps or states), in arrival order. */
  upstream(): RoomEvent[];
  gaps(): StreamGapEvent[];
  state(): ConnectionState | null;
}

/**
 * A running simulator and everything opened against it, so one afterEach closes it all.
 * Connections get the fast backoff and a heartbeat floor that keeps idle rooms answering.
 */
export class Upstream {
  private readonly connections: PushConnection[] = [];
  readonly client: DouyinHttpClient;

  private constructor(readonly sim: Simulator) {
    this.client = httpClient(sim);
  }

  static async start(options: SimulatorOptions = {}): Promise<Upstream> {
    return new Upstream(await startSimulator({ seed: 'collectors', autoTraffic: false, rooms: 2, duplicateChatRate: 0, ...options }));
  }

  endpoint(roomId: string) {
    return createPushEndpoint({
      roomId,
      webRid: null,
      client: this.client,
      signer: noSigner,
      pushBase: this.sim.pushUrl,
      preferConfigured: true,
      userAgent: DEFAULT_PROFILE.userAgent,
    });
  }

  open(roomId: string, options: Partial<PushConnectionOptions> = {}): OpenedPush {
    const recorded: Recorded = { events: [], states: [], decodeErrors: [], duplicates: 0, reconnects: [], frames: [], stats: createDecodeStats() };
    // The test's own hooks run after the recording ones, so both see everything.
    const { onEvents, onRawFrame, ...rest } = options;
    const connection = new PushConnection({
      roomId,
      endpoint: this.endpoint(roomId),
      backoff: FAST_BACKOFF,
      blockedBackoff: FAST_BACKOFF,
      decodeStats: recorded.stats,
      onEvents: (events) => {
        recorded.events.push(...events);
        onEvents?.(events);
      },
      onState: (state, previous, reason) => recorded.states.push({ state, previous, reason }),
      onDecodeError: (error) => recorded.decodeErrors.push(error),
      onDuplicate: () => (recorded.duplicates += 1),
      onReconnect: (reason, delayMs) => recorded.reconnects.push({ reason, delayMs }),
      onRawFrame: (direction, bytes) => {
        recorded.frames.push({ direction, bytes: Uint8Array.from(bytes) });
        onRawFrame?.(direction, bytes);
      },
      ...rest,
    });
    this.connections.push(connection);
    connection.start();
    return {
      connection,
      recorded,
      upstream: () => recorded.events.filter((e) => e.type !== 'StreamGapEvent' && e.type !== 'ConnectionStateEvent'),
      gaps: () => recorded.events.filter((e): e is StreamGapEvent => e.type === 'StreamGapEvent'),
      state: () => connection.connectionState,
    };
  }

  /** Opens a connection and waits until the simulator holds it open and has its first heartbeat. */
  async openLive(roomId: string, options: Partial<PushConnectionOptions> = {}): Promise<OpenedPush> {
    const before = this.sim.connections().length;
    const opened = this.open(roomId, options);
    await until(() => opened.state() === 'LIVE', `room ${roomId} to go LIVE`);
    await until(
      () => this.sim.connections().slice(before).some((c) => c.roomId === roomId && !c.closed && c.heartbeatsReceived > 0),
      `the simulator to hold the connection for ${roomId}`,
    );
    return opened;
  }

  /** The simulator's open connections of a room. */
  openConnections(roomId: string) {
    return this.sim.connections().filter((c) => c.roomId === roomId && !c.closed);
  }

  handshakes(roomId: string) {
    return this.sim.requests({ kind: 'ws' }).filter((r) => r.query.room_id === roomId);
  }

  async stop(): Promise<void> {
    for (const connection of this.connections.splice(0)) connection.stop();
    await this.sim.stop();
  }
}

/** Ids of the messages a room sent, each once (the ground truth without re-pushes). */
export function uniqueIds(records: readonly TruthRecord[]): string[] {
  return records.filter((r) => !r.duplicate).map((r) => r.msgId);
}
