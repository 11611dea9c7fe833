// The HTTP server: yoga and graphql-ws on one node:http server, with sockets tracked so that
// stop() ends every connection and returns, however many times a test starts and stops it.
// Every door is mounted here with its guard: the vendor REST routes in front of yoga, token
// auth and rate limits on GraphQL over HTTP and SSE, the graphql-ws guard on sockets, the
// abuse limits on every operation and the slow-consumer policy on every subscription.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plugin } from 'graphql-yoga';
import type { Config, LimitsConfig } from '../config.ts';
import type { EventStore } from '../store/event-store.ts';
import { createAccessControl, type AccessControl } from './auth/access.ts';
import { createGraphqlWsGuard } from './auth/graphql-ws-guard.ts';
import { useDashboard } from './dashboard/serve.ts';
import { useRevocableStreams } from './auth/revocable-streams.ts';
import { useUpstreamBudget } from './limits/upstream-budget.ts';
import { useSseSubscriptionCaps } from './auth/sse-caps-plugin.ts';
import { useTokenAuth } from './auth/yoga-auth-plugin.ts';
import { useWriteScope } from './auth/write-scope-plugin.ts';
import { DrainableStreams, useDrainableStreams } from './drainable-streams.ts';
import { attachGraphQLWs, GRAPHQL_WS_TRANSPORT, type GraphQLWsHandle } from './graphql-ws.ts';
import { listenOn } from './listen.ts';
import { limitPlugins, type PersistedOperationStore } from './limits/index.ts';
import { useSlowConsumerPolicy } from './limits/slow-consumer.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type GatewayMetrics } from './metrics.ts';
import { createVendorRestHandler, type VendorRestHandler } from './rest/handler.ts';
import { useVendorRest } from './rest/yoga-plugin.ts';
import type { GatewayServices } from './services.ts';
import { createGatewayYoga, GRAPHQL_ENDPOINT, type GatewayYoga } from './yoga.ts';

export interface BuildAppOptions {
  /** Without `limits` the app runs unlimited (no rate limits, caps or query limits): for tests of other concerns. */
  config: Pick<Config, 'security'> & { server: Pick<Config['server'], 'port' | 'host' | 'logLevel'> } & { limits?: LimitsConfig | undefined; upstream?: Pick<Config['upstream'], 'callsPerRequest'> };
  services: GatewayServices;
  logger?: Logger;
  metrics?: GatewayMetrics;
  /** The room GraphiQL's starter tabs use (the simulator's first room, say). */
  graphiqlRoomId?: string | null;
  /** How long stop() lets open requests and sockets finish before cutting them. */
  shutdownGraceMs?: number;
  /** More yoga plugins, after the gateway's own. */
  plugins?: Plugin[];
  /** Tokens, rate limiter, subscription caps and CORS; built from `config` when absent (open without API_TOKENS_FILE). */
  access?: AccessControl;
  /** The event store behind the vendor /douyin/liveroom/chat polling; without it /chat answers 503. */
  chatHistory?: Pick<EventStore, 'listEvents' | 'latestCursor'> | null;
  /** The documents PERSISTED_OPERATIONS=allow|only serves; required unless that mode is off. */
  persistedOperations?: PersistedOperationStore | null;
  /** Bytes a graphql-ws socket may hold unsent before its client is closed as too slow (4008). */
  maxSocketBufferedBytes?: number;
  /** The folder with the dashboard's built script; dist/dashboard by default. */
  dashboardDir?: string;
}

export interface App {
  /** Listens (defaults: config.server.port and host) and resolves with the GraphQL URL. Once per app. */
  start(port?: number, host?: string): Promise<{ url: string }>;
  /**
   * The first half of a graceful shutdown: /ready answers 503 at once while everything else is
   * served for `drainMs` (so a load balancer takes the instance out); then graphql-ws clients
   * are closed with 1012 and SSE streams end with SERVER_DRAINING and `complete`. Call stop() next.
   */
  drain(drainMs: number): Promise<void>;
  stop(): Promise<void>;
  yoga: GatewayYoga;
  httpServer: Server;
  metrics: GatewayMetrics;
  access: AccessControl;
  ws: GraphQLWsHandle;
}

/** Serialized events run to a few hundred bytes; this lets a socket fall behind by about SUBSCRIBER_BUFFER of them. */
const BYTES_PER_BUFFERED_EVENT = 2048;
/** The socket bound when no limits are configured. */
const DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

function urlFor(server: Server, requestedHost: string): string {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a TCP port');
  const host = requestedHost === '0.0.0.0' || requestedHost === '::' ? '127.0.0.1' : requestedHost;
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${address.port}${GRAPHQL_ENDPOINT}`;
}

/** The gateway's own plugins, in the order they must run: vendor routes, auth, limits, stream policy. */
function gatewayPlugins(
  options: BuildAppOptions,
  access: AccessControl,
  vendor: VendorRestHandler,
  metrics: GatewayMetrics,
  streams: DrainableStreams,
): Plugin[] {
  const limits = options.config.limits;
  return [
    // The dashboard's page and script carry no data (it reads everything over GraphQL, with a token).
    useDashboard(options.dashboardDir === undefined ? {} : { dir: options.dashboardDir }),
    // Vendor paths are answered (with their own token and rate checks) before GraphQL's auth.
    useVendorRest(vendor),
    useTokenAuth({ auth: access.auth, rateLimiter: access.rateLimiter, graphqlEndpoint: GRAPHQL_ENDPOINT }),
    useWriteScope(),
    useSseSubscriptionCaps({ caps: access.caps, isCountedElsewhere: (context) => context.transport === GRAPHQL_WS_TRANSPORT }),
    useUpstreamBudget({ callsPerRequest: options.config.upstream?.callsPerRequest ?? Number.POSITIVE_INFINITY }),
    useRevocableStreams({ sessions: access.sessions, isEndedElsewhere: (context) => context.transport === GRAPHQL_WS_TRANSPORT }),
    useDrainableStreams({ streams, isEndedElsewhere: (context) => context.transport === GRAPHQL_WS_TRANSPORT }),
    ...(limits === undefined
      ? []
      : limitPlugins({
          limits,
          persisted: options.persistedOperations ?? null,
          onRejected: (code) => metrics.graphqlRejections.inc({ reason: code }),
        })),
    useSlowConsumerPolicy({
      onCutOff: (context) => {
        const transport = context.transport === GRAPHQL_WS_TRANSPORT ? GRAPHQL_WS_TRANSPORT : 'sse';
        metrics.slowConsumers.inc({ transport, reason: 'queue' });
      },
    }),
  ];
}

export function buildApp(options: BuildAppOptions): App {
  const logger = options.logger ?? createLogger({ level: options.config.server.logLevel });
  const metrics = options.metrics ?? createMetrics();
  const graceMs = options.shutdownGraceMs ?? 1000;
  const limits = options.config.limits;
  const access =
    options.access ??
    createAccessControl(
      { security: options.config.security, limits },
      { onReloadError: (error) => logger.warn({ err: error }, 'API token file reload failed; the previous tokens stay in force') },
    );
  const vendor = createVendorRestHandler({
    douyin: options.services.douyin,
    rooms: options.services.rooms,
    history: options.chatHistory ?? null,
    auth: access.auth,
    rateLimiter: access.rateLimiter,
    // yoga's CORS plugin already answers preflights and decorates these responses.
    cors: null,
    onError: (error, info) => logger.error({ err: error, path: info.path }, 'vendor route failed'),
  });
  const streams = new DrainableStreams();
  let drainingSince: number | null = null;
  const services: GatewayServices = {
    ...options.services,
    // Draining answers at once, without probing dependencies that no longer matter.
    readiness: () =>
      drainingSince === null
        ? options.services.readiness()
        : Promise.resolve([{ name: 'drain', ok: false, state: 'DRAINING', detail: `shutting down since ${new Date(drainingSince).toISOString()}` }]),
  };
  const yoga = createGatewayYoga({
    services,
    metrics,
    logger,
    cors: access.cors,
    graphiqlRoomId: options.graphiqlRoomId ?? null,
    plugins: [...gatewayPlugins(options, access, vendor, metrics, streams), ...(options.plugins ?? [])],
  });
  const httpServer = createServer(yoga);
  const sockets = new Set<Socket>();
  // One listener for every socket ('close' comes once, so `on` without the wrapper `once`
  // builds): an upgraded graphql-ws socket keeps its listeners for as long as it stays open.
  function forget(this: Socket): void {
    sockets.delete(this);
  }
  httpServer.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', forget);
  });
  const ws = attachGraphQLWs(httpServer, yoga, {
    logger,
    metrics,
    guard: createGraphqlWsGuard({ auth: access.auth, caps: access.caps, rateLimiter: access.rateLimiter, sessions: access.sessions }),
    persisted: limits === undefined ? null : { mode: limits.persistedOperations, store: options.persistedOperations ?? null },
    maxBufferedBytes:
      options.maxSocketBufferedBytes ?? (limits === undefined ? DEFAULT_SOCKET_BUFFER_BYTES : limits.subscriberBuffer * BYTES_PER_BUFFERED_EVENT),
  });
  let stopped = false;

  async function start(port = options.config.server.port, host = options.config.server.host): Promise<{ url: string }> {
    // stop() disposes the socket server and yoga: a stopped app is done, build a new one.
    if (stopped) throw new Error('this app was stopped; build a new one with buildApp()');
    await listenOn(httpServer, port, host, 'PORT');
    const url = urlFor(httpServer, host);
    logger.info({ url }, 'GraphQL gateway listening');
    return { url };
  }

  async function drain(drainMs: number): Promise<void> {
    if (drainingSince !== null) return;
    drainingSince = Date.now();
    logger.info({ drainMs }, 'draining: /ready answers 503; clients are told to reconnect elsewhere after the drain period');
    await delay(drainMs);
    streams.endAll();
    await ws.close(graceMs);
  }

  async function stop(): Promise<void> {
    if (!httpServer.listening) return;
    stopped = true;
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await ws.close(graceMs);
    httpServer.closeIdleConnections();
    const drained = await Promise.race([closed.then(() => true), delay(graceMs).then(() => false)]);
    if (!drained) {
      // Streams (SSE) never finish on their own: cut whatever is still open.
      for (const socket of sockets) socket.destroy();
      await closed;
    }
    vendor.close();
    access.sessions.close();
    await access.close();
    await yoga.dispose();
    logger.info('GraphQL gateway stopped');
  }

  return { start, drain, stop, yoga, httpServer, metrics, access, ws };
}

/** A wait that does not keep the process alive on its own. */
function delay(ms: number): Promise<void> {
  return sleep(ms, undefined, { ref: false });
}
