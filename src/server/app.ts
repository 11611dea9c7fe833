// The HTTP server: yoga and graphql-ws on one node:http server, with sockets tracked so that
// stop() ends every connection and returns, however many times a test starts and stops it.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';
import { attachGraphQLWs } from './graphql-ws.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, type GatewayMetrics } from './metrics.ts';
import type { GatewayServices } from './services.ts';
import { createGatewayYoga, GRAPHQL_ENDPOINT, type GatewayYoga } from './yoga.ts';

export interface BuildAppOptions {
  config: Pick<Config, 'server' | 'security'>;
  services: GatewayServices;
  logger?: Logger;
  metrics?: GatewayMetrics;
  /** The room GraphiQL's starter tabs use (the simulator's first room, say). */
  graphiqlRoomId?: string | null;
  /** How long stop() lets open requests and sockets finish before cutting them. */
  shutdownGraceMs?: number;
  plugins?: Plugin[];
}

export interface App {
  /** Listens (defaults: config.server.port and host) and resolves with the GraphQL URL. Once per app. */
  start(port?: number, host?: string): Promise<{ url: string }>;
  stop(): Promise<void>;
  yoga: GatewayYoga;
  httpServer: Server;
  metrics: GatewayMetrics;
}

function urlFor(server: Server, requestedHost: string): string {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on a TCP port');
  const host = requestedHost === '0.0.0.0' || requestedHost === '::' ? '127.0.0.1' : requestedHost;
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${address.port}${GRAPHQL_ENDPOINT}`;
}

export function buildApp(options: BuildAppOptions): App {
  const logger = options.logger ?? createLogger({ level: options.config.server.logLevel });
  const metrics = options.metrics ?? createMetrics();
  const graceMs = options.shutdownGraceMs ?? 1000;
  const yoga = createGatewayYoga({
    services: options.services,
    metrics,
    logger,
    security: options.config.security,
    graphiqlRoomId: options.graphiqlRoomId ?? null,
    plugins: options.plugins,
  });
  const httpServer = createServer(yoga);
  const sockets = new Set<Socket>();
  httpServer.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const ws = attachGraphQLWs(httpServer, yoga);
  let stopped = false;

  async function start(port = options.config.server.port, host = options.config.server.host): Promise<{ url: string }> {
    // stop() disposes the socket server and yoga: a stopped app is done, build a new one.
    if (stopped) throw new Error('this app was stopped; build a new one with buildApp()');
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const url = urlFor(httpServer, host);
    logger.info({ url }, 'GraphQL gateway listening');
    return { url };
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
    await yoga.dispose();
    logger.info('GraphQL gateway stopped');
  }

  return { start, stop, yoga, httpServer, metrics };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
