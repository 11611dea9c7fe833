// What the bench's server child runs and what every kind of server answers to, so the fan-out,
// HTTP and memory benches drive the gateway and its baselines through one interface.

export type ServerKind = 'gateway' | 'yoga' | 'bare-ws';

export const SERVER_LABELS: Record<ServerKind, string> = {
  gateway: 'gateway (graphql-ws)',
  yoga: 'stock yoga + graphql-ws',
  'bare-ws': 'bare ws broadcast',
};

/** What each subscriber selects: the gateway's roomEvents, answered alike by the yoga baseline. */
export const FANOUT_SUBSCRIPTION = `subscription ($roomId: ID!) {
  roomEvents(roomId: $roomId) { __typename id ... on ChatEvent { content user { id nickname } } }
}`;

/** A chat as FANOUT_SUBSCRIPTION selects it. */
export interface BenchChat {
  __typename: 'ChatEvent';
  id: string;
  content: string;
  user: { id: string; nickname: string };
}

export interface StartParams {
  kind: ServerKind;
  /** Gateway: the simulator it uses as Douyin (HTTP base; the push URL comes from im/fetch). */
  upstreamUrl?: string;
  /** Gateway: no upstreamUrl, the built-in simulator in the gateway's own process, as `npm start` runs it. */
  builtInSimulator?: boolean;
  /** Gateway: environment on top of the bench defaults (e.g. a wider upstream rate limit). */
  env?: Record<string, string>;
  /** Yoga baseline: what its `liveRoom` answers (the gateway's own answer, so both send the same bytes). */
  liveRoom?: Record<string, unknown> | null;
}

export interface Started {
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  wsUrl: string;
  /** Gateway with builtInSimulator: the simulator's HTTP base (its /__sim control API). */
  simulatorUrl?: string;
}

export interface RunningServer extends Started {
  /** Baselines: hands these chats to every subscriber of the room (the gateway gets its events from upstream). */
  publish(roomId: string, chats: readonly BenchChat[]): void;
  /** Gateway: keeps these rooms' collectors running with nobody subscribed. */
  watch(roomIds: readonly string[]): void;
  /** Open WebSocket clients. */
  sockets(): number;
  stop(): Promise<void>;
}
