// The gateway's Prometheus metrics, on one registry every layer adds to. Collectors never import
// prom-client: the wiring hands them small observer callbacks that increment these handles.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  /** Push frames received, by frame kind (msg, heartbeat, ack, …). */
  frames: Counter<'kind'>;
  /** Frames or messages that failed to decode, by reason. */
  decodeErrors: Counter<'reason'>;
  /** Messages of a method the gateway does not model (passed on as UnknownEvent). */
  unknownMethods: Counter<'method'>;
  /** Push reconnects, by reason. */
  reconnects: Counter<'reason'>;
  /** Messages dropped as already delivered (same msg_id). */
  dedupHits: Counter;
  /** Upstream HTTP calls, by endpoint and outcome (ok or an UpstreamError code). */
  upstreamCalls: Counter<'endpoint' | 'outcome'>;
  upstreamLatency: Histogram<'endpoint'>;
  /** Upstream response cache lookups, by endpoint and outcome (hit, joined an in-flight call, miss). */
  upstreamCacheLookups: Counter<'endpoint' | 'outcome'>;
  /** Upstream calls the cache answered instead (hits and joined calls), by endpoint. */
  upstreamCallsSaved: Counter<'endpoint'>;
  /** Cached answers refreshed (patched) or dropped (invalidated) by push events. */
  upstreamCachePushUpdates: Counter<'action'>;
  upstreamCacheBytes: Gauge;
  /** Live subscriptions per room. */
  subscribers: Gauge<'room_id'>;
  /** Seconds from an event's creation upstream to its delivery to a subscriber. */
  eventLag: Histogram;
  /** GraphQL errors sent to clients, by extensions.code. */
  graphqlErrors: Counter<'code'>;
  /** Operations refused before execution by an abuse limit, by reason (the error's code). */
  graphqlRejections: Counter<'reason'>;
  /** Subscribers cut off for falling behind, by transport and what overflowed (queue or socket). */
  slowConsumers: Counter<'transport' | 'reason'>;
  /** Webhook attempts by webhook and outcome: delivered, retrying, failed (dead letter), disabled (410). */
  webhookDeliveries: Counter<'webhook_id' | 'outcome'>;
  webhookLatency: Histogram<'webhook_id'>;
  /** Deliveries waiting in the outbox, per webhook. */
  webhookOutboxDepth: Gauge<'webhook_id'>;
  /** Events a subscriber got from the store because the bus had not brought them within HOLE_FILL_MS. */
  holesFilled: Counter;
  /** StreamGapEvents for sequences the store no longer had. */
  gapEvents: Counter;
  /** 1 while the bus (Redis) delivers, 0 while it is unreachable and subscribers are fed from the store. */
  busUp: Gauge;
  /** Rooms this instance collects under a lease (fleet mode). */
  roomsOwned: Gauge;
  /** Leases taken (a room this instance did not collect before), renewed, and lost (taken over, expired or fenced). */
  leaseAcquisitions: Counter;
  leaseRenewals: Counter;
  leaseLosses: Counter<'reason'>;
  /** Events the store refused because they were collected under a superseded lease epoch. */
  fencedWrites: Counter;
  /** Always 1, labelled with this instance's id: joins the other series to an instance. */
  instanceInfo: Gauge<'instance_id'>;
  /** Upstream calls per pool pair (DOUYIN_COOKIES/DOUYIN_PROXIES), by outcome; pairs are few, so are the series. */
  upstreamPoolCalls: Counter<'pair' | 'outcome'>;
  /** Times a pool pair was quarantined. */
  upstreamPoolQuarantines: Counter<'pair'>;
  /** Rooms whose push connection left a pair for another (or for none). */
  upstreamPoolMoves: Counter<'pair'>;
  /** 1 while a pair is healthy, 0 while quarantined, and the rooms streaming through it; read from the pool at scrape time. */
  upstreamPoolPairHealthy: Gauge<'pair'>;
  upstreamPoolPairRooms: Gauge<'pair'>;
  /** Where the pool gauges read from (set once the pool exists). */
  observeUpstreamPool(view: () => PoolGaugeView): void;
  /** Prometheus text exposition of everything on the registry. */
  render(): Promise<string>;
  contentType: string;
}

/** What the pool gauges need of the upstream pool's snapshot. */
export interface PoolGaugeView {
  pairs: readonly { id: string; state: string; rooms: readonly string[] }[];
}

export interface MetricsOptions {
  /** Node process metrics (heap, event loop lag, …); off in tests that count series. */
  defaultMetrics?: boolean;
  prefix?: string;
}

export function createMetrics(options: MetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  const prefix = options.prefix ?? 'douyin_gateway_';
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });
  const registers = [registry];
  let poolView: (() => PoolGaugeView) | null = null;
  const poolGauge = (name: string, help: string, value: (pair: PoolGaugeView['pairs'][number]) => number) =>
    new Gauge({
      name: `${prefix}${name}`,
      help,
      labelNames: ['pair'],
      registers,
      collect() {
        if (poolView === null) return;
        this.reset();
        for (const pair of poolView().pairs) this.set({ pair: pair.id }, value(pair));
      },
    });

  return {
    registry,
    frames: new Counter({ name: `${prefix}push_frames_total`, help: 'Push frames received, by kind.', labelNames: ['kind'], registers }),
    decodeErrors: new Counter({
      name: `${prefix}decode_errors_total`,
      help: 'Frames or messages that failed to decode, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    unknownMethods: new Counter({
      name: `${prefix}unknown_methods_total`,
      help: 'Messages of methods the gateway does not model.',
      labelNames: ['method'],
      registers,
    }),
    reconnects: new Counter({ name: `${prefix}push_reconnects_total`, help: 'Push reconnects, by reason.', labelNames: ['reason'], registers }),
    dedupHits: new Counter({ name: `${prefix}dedup_hits_total`, help: 'Messages dropped as already delivered (same msg_id).', registers }),
    upstreamCalls: new Counter({
      name: `${prefix}upstream_calls_total`,
      help: 'Upstream HTTP calls, by endpoint and outcome.',
      labelNames: ['endpoint', 'outcome'],
      registers,
    }),
    upstreamLatency: new Histogram({
      name: `${prefix}upstream_latency_seconds`,
      help: 'Upstream HTTP call latency, by endpoint.',
      labelNames: ['endpoint'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    upstreamCacheLookups: new Counter({
      name: `${prefix}upstream_cache_lookups_total`,
      help: 'Upstream response cache lookups, by endpoint and outcome (hit, joined, miss).',
      labelNames: ['endpoint', 'outcome'],
      registers,
    }),
    upstreamCallsSaved: new Counter({
      name: `${prefix}upstream_calls_saved_total`,
      help: 'Upstream calls answered by the response cache instead (hits and joined in-flight calls), by endpoint.',
      labelNames: ['endpoint'],
      registers,
    }),
    upstreamCachePushUpdates: new Counter({
      name: `${prefix}upstream_cache_push_updates_total`,
      help: 'Cached upstream answers patched or invalidated by push events.',
      labelNames: ['action'],
      registers,
    }),
    upstreamCacheBytes: new Gauge({ name: `${prefix}upstream_cache_bytes`, help: 'Bytes the upstream response cache holds (bodies and views, estimated).', registers }),
    subscribers: new Gauge({ name: `${prefix}subscribers`, help: 'Live subscriptions per room.', labelNames: ['room_id'], registers }),
    eventLag: new Histogram({
      name: `${prefix}event_lag_seconds`,
      help: 'Seconds from an event\'s creation upstream to its delivery to a subscriber.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    }),
    graphqlErrors: new Counter({
      name: `${prefix}graphql_errors_total`,
      help: 'GraphQL errors sent to clients, by code.',
      labelNames: ['code'],
      registers,
    }),
    graphqlRejections: new Counter({
      name: `${prefix}graphql_rejections_total`,
      help: 'Operations refused before execution by an abuse limit (depth, cost, aliases, tokens, persisted operations), by reason.',
      labelNames: ['reason'],
      registers,
    }),
    slowConsumers: new Counter({
      name: `${prefix}slow_consumers_total`,
      help: 'Subscribers cut off for falling behind, by transport and by what overflowed (queue or socket).',
      labelNames: ['transport', 'reason'],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: `${prefix}webhook_deliveries_total`,
      help: 'Webhook delivery attempts by webhook and outcome (delivered, retrying, failed, disabled).',
      labelNames: ['webhook_id', 'outcome'],
      registers,
    }),
    webhookLatency: new Histogram({
      name: `${prefix}webhook_delivery_seconds`,
      help: 'Time from sending a webhook attempt to its answer (or failure), by webhook.',
      labelNames: ['webhook_id'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    webhookOutboxDepth: new Gauge({
      name: `${prefix}webhook_outbox_depth`,
      help: 'Webhook deliveries waiting in the outbox, by webhook.',
      labelNames: ['webhook_id'],
      registers,
    }),
    holesFilled: new Counter({
      name: `${prefix}live_holes_filled_total`,
      help: 'Events a subscriber read from the store because the bus had not brought them within HOLE_FILL_MS.',
      registers,
    }),
    gapEvents: new Counter({ name: `${prefix}live_gap_events_total`, help: 'StreamGapEvents for sequences the store no longer had.', registers }),
    busUp: new Gauge({ name: `${prefix}bus_up`, help: '1 while the bus delivers; 0 while it is unreachable and subscribers are fed from the store.', registers }),
    roomsOwned: new Gauge({ name: `${prefix}rooms_owned`, help: 'Rooms this instance collects under a lease.', registers }),
    leaseAcquisitions: new Counter({ name: `${prefix}lease_acquisitions_total`, help: 'Room leases taken by this instance.', registers }),
    leaseRenewals: new Counter({ name: `${prefix}lease_renewals_total`, help: 'Room lease renewals by this instance.', registers }),
    leaseLosses: new Counter({ name: `${prefix}lease_losses_total`, help: 'Room leases this instance lost, by reason.', labelNames: ['reason'], registers }),
    fencedWrites: new Counter({ name: `${prefix}fenced_writes_total`, help: 'Events refused by the store for a superseded lease epoch.', registers }),
    instanceInfo: new Gauge({ name: `${prefix}instance_info`, help: "Always 1; the label is this instance's id.", labelNames: ['instance_id'], registers }),
    upstreamPoolCalls: new Counter({
      name: `${prefix}upstream_pool_calls_total`,
      help: 'Upstream HTTP calls per pool pair, by outcome (ok or an upstream error code).',
      labelNames: ['pair', 'outcome'],
      registers,
    }),
    upstreamPoolQuarantines: new Counter({
      name: `${prefix}upstream_pool_quarantines_total`,
      help: 'Times a pool pair was quarantined (refused by Douyin, or its proxy stopped answering).',
      labelNames: ['pair'],
      registers,
    }),
    upstreamPoolMoves: new Counter({
      name: `${prefix}upstream_pool_room_moves_total`,
      help: 'Rooms whose push connection left this pool pair for another.',
      labelNames: ['pair'],
      registers,
    }),
    upstreamPoolPairHealthy: poolGauge('upstream_pool_pair_healthy', '1 while a pool pair is healthy, 0 while it is quarantined.', (pair) => (pair.state === 'HEALTHY' ? 1 : 0)),
    upstreamPoolPairRooms: poolGauge('upstream_pool_pair_rooms', 'Rooms streaming through a pool pair.', (pair) => pair.rooms.length),
    observeUpstreamPool: (view) => {
      poolView = view;
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
