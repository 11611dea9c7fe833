// graphql-ws on the same HTTP server and path as yoga, executing through yoga's envelop (as
// graphql-yoga documents it) so masking, limits and metrics plugins apply to sockets too.
//
// The socket adapter is ours rather than graphql-ws's `useServer` because of the slow-consumer
// policy. useServer's send waits until the kernel has taken each message, so a client that
// stops reading stalls its subscriptions mid-send: the room feed's bounded queue then fills and
// fails, but nothing notices while the send hangs, and the socket stays open until keep-alive
// kills it without a reason. Here a send only queues the message, so the subscriptions keep
// draining the feed and the socket's own buffer is what grows: beyond `maxBufferedBytes` the
// client is closed with 4008 and a reason that says how to recover, and its operations end at
// once. A feed queue that overflows anyway (the gateway itself too busy) ends the operation with
// a SLOW_CONSUMER result (limits/slow-consumer.ts), after which the socket is closed the same way.
//
// Subscriptions that can share an execution (fanout/shareable.ts: roomEvents without a resume
// cursor) are admitted per subscriber like any other (guard, persisted operations, parse and
// validation with every limit plugin), then join the group of their (document, variables, auth
// scope) instead of executing: the group runs once through the same envelop and writes each
// serialized result to every member through the same bounded send (fanout/shared-group.ts).
// Each socket's writes within one tick leave together (write-coalescer.ts, which each Connection is: graphql-ws-connection.ts): events are
// published in batches, and one system call per socket per batch instead of per frame is most
// of what a delivery costs.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { handleProtocols, makeServer, type Context } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { GraphqlWsGuard } from './auth/graphql-ws-guard.ts';
import type { RequestAuth } from './auth/yoga-auth-plugin.ts';
import { FanoutGroups, type FanoutStats } from '../live/fanout/groups.ts';
import { OPEN_SCOPE, sharingKey } from '../live/fanout/shareable.ts';
import type { GroupExecution } from '../live/fanout/shared-group.ts';
import {
  Connection,
  GatewaySocket,
  GRAPHQL_WS_TRANSPORT,
  onSocketClose,
  onSocketError,
  onSocketPong,
  ServerCloseCode,
  type ConnectionHub,
  type SocketExtra,
} from './graphql-ws-connection.ts';
import { InternedStrings } from './interned-strings.ts';
import { SharedClock } from './shared-clock.ts';
import type { LimitCode } from './limits/codes.ts';
import { resolvePersistedOperation, type PersistedOperationStore } from './limits/persisted-operations.ts';
import { isSlowConsumerResult } from '../live/slow-consumer.ts';
import type { Logger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { GatewayYoga } from './yoga.ts';
import type { PersistedOperationsMode } from '../config.ts';

export { GRAPHQL_WS_TRANSPORT, ServerCloseCode } from './graphql-ws-connection.ts';

/** The close reason of a drain (at most 123 bytes): what the client should do. */
export const SERVICE_RESTART_REASON = 'Server restarting: reconnect and resubscribe with after: your last cursor';

/** Incoming messages beyond this are refused by ws itself (its default is 100 MiB). */
export const MAX_INCOMING_MESSAGE_BYTES = 256 * 1024;

const DEFAULT_KEEP_ALIVE_MS = 12_000;

/** How long a socket may stay open without connection_init (graphql-ws's own default). */
const CONNECTION_INIT_WAIT_MS = 3_000;

/** The shared clock's tick: deadlines (init wait, keep-alive) are met within this after they pass. */
const CLOCK_TICK_MS = 1_000;

/** Distinct subscribe query texts kept as one copy for all sockets, and the longest kept (chars). */
const INTERNED_QUERIES = 64;
const INTERNED_QUERY_MAX_LENGTH = 8 * 1024;

/** Bytes a socket's writes may be held for the end of a tick (a quarter of the bound at most). */
const MAX_COALESCED_BYTES = 16 * 1024;

/** An operation that joins a shared group instead of executing on its own. */
interface Share extends Pick<ExecutionArgs, 'document' | 'operationName' | 'variableValues'> {
  key: string;
  /** The operation's id and its socket, which writes the group's frames to it. */
  id: string;
  connection: SocketExtra;
  params: Record<string, unknown>;
  auth: RequestAuth | null;
}

/** The rootValue graphql-ws hands back to `execute`/`subscribe`: how to run this operation. */
type EnvelopedRoot = Enveloped | Joining;

/** Runs through the envelop of the socket that asked. */
interface Enveloped {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

/** Joins a shared group; `share` is let go once it has. */
interface Joining {
  share: Share | null;
}

export interface GraphQLWsOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  /** Token check, rate limit and subscription caps; every connection is admitted without one. */
  guard?: GraphqlWsGuard | null;
  persisted?: { mode: PersistedOperationsMode; store: PersistedOperationStore | null } | null;
  /** Bytes a socket may hold unsent before its client counts as too slow and is closed with 4008. */
  maxBufferedBytes: number;
  /** Ping interval; a client that has not answered the previous ping is cut. 0 turns it off. */
  keepAliveMs?: number;
  /** How long a socket may stay open without sending connection_init (closed with 4408); 3 s by default. */
  connectionInitWaitMs?: number;
  /** Execute shareable subscriptions once per group of equal ones (default true). */
  shareExecutions?: boolean;
}

export interface GraphQLWsStats {
  /** The most bytes any socket held unsent right after a send. */
  peakBufferedBytes: number;
  /** Clients closed with 4008. */
  slowConsumerCloses: number;
}

export interface GraphQLWsHandle {
  /** Open client sockets. */
  clients(): number;
  stats(): GraphQLWsStats;
  /** Shared execution groups running now and their members. */
  fanout(): FanoutStats;
  /** Says "service restart" (1012) to every client, waits up to graceMs for them to go, then cuts the rest. */
  close(graceMs: number): Promise<void>;
}

function waitForClose(socket: WebSocket, ms: number): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function extraOf(ctx: Context): SocketExtra {
  return ctx.extra as SocketExtra;
}

export function attachGraphQLWs(httpServer: Server, yoga: GatewayYoga, options: GraphQLWsOptions): GraphQLWsHandle {
  const { logger, metrics, guard = null } = options;
  const stats: GraphQLWsStats = { peakBufferedBytes: 0, slowConsumerCloses: 0 };
  // noServer: upgrades are routed here by path, and the HTTP server's own errors (a port in
  // use) stay with whoever started it instead of being re-emitted on the socket server.
  const wss = new WebSocketServer({ noServer: true, handleProtocols, maxPayload: MAX_INCOMING_MESSAGE_BYTES, WebSocket: GatewaySocket });
  httpServer.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== yoga.graphqlEndpoint) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request, socket));
  });

  const groups = options.shareExecutions === false ? null : new FanoutGroups();

  /** Runs a group's operation once, through yoga's envelop, in a context of no one socket. */
  const groupExecution =
    (args: Pick<ExecutionArgs, 'document' | 'operationName' | 'variableValues'>, params: Record<string, unknown>, auth: RequestAuth | null): GroupExecution =>
    async (observe) => {
      const { schema, execute, subscribe, contextFactory } = yoga.getEnveloped({
        params,
        transport: GRAPHQL_WS_TRANSPORT,
        ...(auth === null ? {} : { auth: groupAuth(auth) }),
      });
      const contextValue = (await contextFactory()) as Record<string, unknown>;
      contextValue.observer = observe(contextValue.observer as Parameters<typeof observe>[0]);
      const root: Enveloped = { execute, subscribe };
      return subscribe({ ...args, schema, contextValue, rootValue: root }) as never;
    };

  const server = makeServer({
    execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
    subscribe: (args) => {
      const root = args.rootValue as EnvelopedRoot;
      if (!('share' in root)) return root.subscribe(args) as never;
      const share = root.share;
      // Only sharing groups hand out a Joining root, and graphql-ws subscribes each operation once.
      if (share === null || groups === null) throw new Error('this operation has already joined its group');
      root.share = null;
      const { document, operationName, variableValues } = share;
      return groups.join(share.key, share.id, share.connection, groupExecution({ document, operationName, variableValues }, share.params, share.auth));
    },
    // Our own deadline on the shared clock (Connection.tick) instead of a timer per socket.
    connectionInitWaitTimeout: 0,
    onConnect: (ctx) => {
      const extra = extraOf(ctx);
      extra.initReceived = true;
      const admitted = guard?.onConnect(ctx) ?? true;
      extra.request = null;
      return admitted;
    },
    onSubscribe: async (ctx, id, payload) => {
      const refusal = await guard?.onSubscribe(ctx, id);
      if (refusal !== undefined) return refusal;
      let query: string | undefined = payload.query;
      const persisted = options.persisted;
      if (persisted && persisted.mode !== 'off' && persisted.store !== null) {
        const resolution = resolvePersistedOperation(payload, persisted.mode, persisted.store);
        if (!resolution.ok) {
          metrics.graphqlRejections.inc({ reason: resolution.error.extensions.code as LimitCode });
          return [resolution.error];
        }
        query = resolution.query;
      }
      const extra = extraOf(ctx);
      const auth = guard?.authOf(ctx) ?? null;
      const params = { ...payload, query };
      const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
        ...ctx,
        socket: extra.socket,
        params,
        transport: GRAPHQL_WS_TRANSPORT,
        ...(guard === null ? {} : { auth: auth ?? undefined }),
      });
      let document;
      try {
        document = parse(query ?? '');
      } catch (error) {
        if (error instanceof GraphQLError) return [error];
        throw error;
      }
      const errors = validate(schema, document);
      if (errors.length > 0) return errors;
      const operationName = payload.operationName ?? null;
      const variableValues = payload.variables ?? null;
      const key =
        groups === null ? null : sharingKey({ schema, document, operationName, variables: variableValues, tokenId: auth?.tokenId ?? null });
      if (key !== null) {
        // graphql-ws keeps these arguments for as long as the subscription lasts, and a member
        // never executes: no context of its own, nothing of this socket's envelop, and the
        // group's key and arguments only until it has joined.
        const share: Share = { key, id, connection: extra, document, operationName, variableValues, params, auth };
        return { schema, document, operationName, variableValues, rootValue: { share } satisfies Joining };
      }
      const root: Enveloped = { execute, subscribe };
      const args: ExecutionArgs = { schema, document, operationName, variableValues, contextValue: await contextFactory(), rootValue: root };
      return args;
    },
    onNext: (ctx, _id, _payload, _args, result) => {
      // The coded result goes out first; the close follows once it is queued.
      if (isSlowConsumerResult(result)) setImmediate(() => extraOf(ctx).cutOff('queue'));
    },
    onComplete: (ctx, id) => guard?.onComplete(ctx, id),
    onError: (ctx, id) => {
      guard?.onError(ctx, id);
    },
    onClose: (ctx) => guard?.onClose(ctx),
  });

  const keepAliveMs = positiveOrZero(options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS);
  const initWaitMs = positiveOrZero(options.connectionInitWaitMs ?? CONNECTION_INIT_WAIT_MS);
  const hub: ConnectionHub = {
    logger,
    metrics,
    stats,
    maxBufferedBytes: options.maxBufferedBytes,
    coalescedBytes: Math.max(1, Math.min(MAX_COALESCED_BYTES, Math.floor(options.maxBufferedBytes / 4))),
    keepAliveMs,
    initWaitMs,
    clock: new SharedClock(Math.min(CLOCK_TICK_MS, ...[keepAliveMs, initWaitMs].filter((ms) => ms > 0))),
    queries: new InternedStrings(INTERNED_QUERIES, INTERNED_QUERY_MAX_LENGTH),
  };
  wss.on('connection', (socket: GatewaySocket, request: IncomingMessage, raw: Duplex) => {
    const connection = new Connection(hub, socket, request, raw);
    socket.connection = connection;
    socket.on('error', onSocketError);
    connection.closeOperations = server.opened(connection, connection);
    socket.on('pong', onSocketPong);
    socket.on('close', onSocketClose);
  });

  return {
    clients: () => wss.clients.size,
    stats: () => ({ ...stats }),
    fanout: () => groups?.stats() ?? { groups: 0, members: 0 },
    async close(graceMs) {
      const sockets = [...wss.clients];
      for (const socket of sockets) socket.close(ServerCloseCode.ServiceRestart, SERVICE_RESTART_REASON);
      await Promise.all(sockets.map((socket) => waitForClose(socket, graceMs)));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A duration option: a positive finite number of ms, or 0 for "off". */
function positiveOrZero(ms: number): number {
  return ms > 0 && Number.isFinite(ms) ? ms : 0;
}

/**
 * The auth a group's execution sees: its members' token (the scope they share) and no one
 * member's address; rate limits and caps were taken per member before it joined.
 */
function groupAuth(auth: RequestAuth): RequestAuth {
  return { tokenId: auth.tokenId, name: auth.name, limitKey: `group:${auth.tokenId ?? OPEN_SCOPE}`, scopes: auth.scopes };
}
