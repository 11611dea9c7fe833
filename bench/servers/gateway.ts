// The gateway as `npm start` builds it (createGateway + buildApp with the full config, so every
// plugin and limiter runs), over a simulator the bench runs elsewhere: DOUYIN_UPSTREAM=live
// pointed at the simulator's address, so the simulator's work is not counted in this process.
// With builtInSimulator the simulator runs in this process instead, as `npm start` runs it.
// The store is PGlite in memory unless env says otherwise; logs are off.
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { createGateway } from '../../src/server/gateway.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { liveUpstreamEnv } from '../lib/live-upstream.ts';
import type { RunningServer, StartParams } from './types.ts';

export async function startGatewayServer(params: StartParams): Promise<RunningServer> {
  const builtIn = params.builtInSimulator === true;
  if (params.upstreamUrl === undefined && !builtIn) throw new Error('the gateway needs upstreamUrl (a running simulator) or builtInSimulator');
  const upstream = builtIn ? { DOUYIN_UPSTREAM: 'simulator', SIMULATOR_PORT: '0' } : liveUpstreamEnv(params.upstreamUrl as string);
  const config = loadConfig({
    ...upstream,
    DATA_DIR: 'memory://',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // The bench's thousands of subscribers and requests come from one address without a token;
    // in production they come from as many clients. The limiters still run, they just never bite.
    RATE_LIMIT_PER_MIN: '1000000000',
    MAX_SUBSCRIPTIONS_PER_TOKEN: '1000000',
    ...params.env,
  });
  const logger = createLogger({ level: config.server.logLevel });
  const metrics = createMetrics({ defaultMetrics: false });
  const gateway = await createGateway(config, { logger, metrics });
  const app = buildApp({ config, services: gateway.services, logger, metrics, graphiqlRoomId: gateway.graphiqlRoomId });
  const { url } = await app.start(0, '127.0.0.1');
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    ...(gateway.simulator === null ? {} : { simulatorUrl: gateway.simulator.url }),
    publish: () => {
      throw new Error('the gateway takes its events from upstream, not from publish()');
    },
    watch: (roomIds) => {
      for (const roomId of roomIds) {
        gateway.supervisor.keepWatching(roomId);
        gateway.supervisor.watch(roomId);
      }
    },
    // Counted as the baselines count theirs: a listener per socket here would be bench memory in
    // the gateway's per-subscriber figure.
    sockets: () => app.ws.clients(),
    stop: async () => {
      await app.stop();
      await gateway.close();
    },
  };
}
