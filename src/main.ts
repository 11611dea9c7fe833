// `npm start`: load the configuration, build the gateway, serve GraphQL, stop cleanly on a signal.
import { describeConfig, isConfigError, loadConfig, startupWarnings, type Config } from './config.ts';
import { buildApp } from './server/app.ts';
import { createGateway } from './server/gateway.ts';
import { createLogger } from './server/logger.ts';
import { createMetrics } from './server/metrics.ts';

function configOrExit(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (error) {
    if (isConfigError(error)) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger({ level: config.server.logLevel });
  logger.info(
    config.upstream.mode === 'simulator'
      ? 'upstream: the built-in Douyin simulator (set DOUYIN_UPSTREAM=live for Douyin itself)'
      : `upstream: Douyin at ${config.upstream.webUrl}`,
  );
  logger.info({ config: describeConfig(config) }, 'starting');
  for (const warning of startupWarnings(config)) logger.warn(warning);

  const metrics = createMetrics();
  const gateway = await createGateway(config, { logger, metrics });
  const app = buildApp({ config, services: gateway.services, logger, metrics, graphiqlRoomId: gateway.graphiqlRoomId });
  const { url } = await app.start();
  process.stdout.write(`GraphiQL: ${url}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.stop();
    await gateway.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
