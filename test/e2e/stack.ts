// The whole gateway over a real simulator on real sockets: what end-to-end tests start. The
// simulator's traffic is driven by the test (autoTraffic off), so nothing depends on timing.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig, type Config, type Env } from '../../src/config.ts';
import { buildApp, type App, type BuildAppOptions } from '../../src/server/app.ts';
import { createGateway, type Gateway } from '../../src/server/gateway.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createMetrics, type GatewayMetrics } from '../../src/server/metrics.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';
import { LogCapture } from '../server/helpers.ts';
import { until } from '../support/until.ts';

export interface Stack {
  sim: Simulator;
  gateway: Gateway;
  app: App;
  config: Readonly<Config>;
  metrics: GatewayMetrics;
  logs: LogCapture;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  wsUrl: string;
  /** A graphql-ws client that the stack closes on close(). */
  wsClient(connectionParams?: Record<string, unknown>): Client;
  close(): Promise<void>;
}

export interface StackOptions {
  sim?: SimulatorOptions;
  env?: Env;
  /** An already running simulator (e.g. shared across gateway restarts). */
  simulator?: Simulator;
  /** The gateway starts its own simulator, as `npm start` does (seeded from the store). */
  gatewaySimulator?: boolean;
  /** More buildApp options (a socket buffer bound, persisted operations). */
  app?: Pick<BuildAppOptions, 'maxSocketBufferedBytes' | 'persistedOperations' | 'access' | 'dashboardDir'>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const own = options.gatewaySimulator === true;
  const given = own ? undefined : (options.simulator ?? (await startSimulator({ seed: 'e2e', autoTraffic: false, rooms: 3, ...options.sim })));
  const config = loadConfig({
    DOUYIN_UPSTREAM: 'simulator',
    DATA_DIR: 'memory://',
    PORT: '0',
    SIMULATOR_PORT: '0',
    LOG_LEVEL: 'silent',
    ROOM_LINGER_MS: '200',
    // Tests that are not about rate limits or subscription caps must never meet them (one test
    // opens 100 subscriptions on one socket); the access tests set their own.
    RATE_LIMIT_PER_MIN: '1000000',
    MAX_SUBSCRIPTIONS_PER_CONNECTION: '100000',
    MAX_SUBSCRIPTIONS_PER_TOKEN: '100000',
    ...options.env,
  });
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', destination: logs });
  const metrics = createMetrics({ defaultMetrics: false });
  const gateway = await createGateway(config, { logger, metrics, ...(given === undefined ? {} : { simulator: given }) });
  const sim = given ?? gateway.simulator!;
  const app = buildApp({
    config,
    services: gateway.services,
    logger,
    metrics,
    shutdownGraceMs: 200,
    graphiqlRoomId: gateway.graphiqlRoomId,
    chatHistory: gateway.store,
    ...options.app,
  });
  const { url } = await app.start(0, '127.0.0.1');
  const clients: Client[] = [];
  return {
    sim,
    gateway,
    app,
    config,
    metrics,
    logs,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    wsClient(connectionParams) {
      const client = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: true,
        ...(connectionParams === undefined ? {} : { connectionParams }),
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      await app.stop();
      await gateway.close();
      if (options.simulator === undefined && !own) await sim.stop();
    },
  };
}

/** Collects a subscription's results until stopped. */
export function subscribe<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
): { results: T[]; errors: unknown[]; done: Promise<void>; stop(): void } {
  const results: T[] = [];
  const errors: unknown[] = [];
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        if (value.data) results.push(value.data as T);
      },
      error: (error) => {
        errors.push(error);
        finish();
      },
      complete: () => finish(),
    },
  );
  return { results, errors, done, stop };
}

export { until };
