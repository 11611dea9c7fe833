// `npm start`: load the configuration, build the gateway, serve GraphQL, stop cleanly on a signal.
import { describeConfig, isConfigError, loadConfig, startupWarnings, type Config } from './config.ts';
import { buildApp } from './server/app.ts';
import { createAccessControl, type AccessControl } from './server/auth/access.ts';
import { bindPolicy } from './server/auth/bind-policy.ts';
import { CorsConfigError } from './server/auth/cors.ts';
import { TokenFileError } from './server/auth/token-file.ts';
import {
  loadPersistedOperations,
  PersistedOperationsError,
  persistedOperationsPath,
  type PersistedOperationStore,
} from './server/limits/persisted-operations.ts';
import { isFleetConfigError } from './server/compose/ownership.ts';
import { isPortInUseError } from './server/listen.ts';
import { createGateway } from './server/gateway.ts';
import { createLogger } from './server/logger.ts';
import { isStoreError } from './store/errors.ts';
import { createMetrics } from './server/metrics.ts';
import type { Logger } from './server/logger.ts';

/** How long stopping may take after the drain period, before the process exits regardless. */
const SHUTDOWN_LIMIT_MS = 30_000;

/** A start-up mistake the operator must fix: say what, exit 2. */
function refuseToStart(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function configOrExit(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (error) {
    if (isConfigError(error)) refuseToStart(error.message);
    throw error;
  }
}

/** Without API tokens the API is open to whoever reaches the port: loopback only. Returns the notice to log. */
function bindNoticeOrExit(config: Readonly<Config>): string {
  const decision = bindPolicy({ host: config.server.host, tokensConfigured: config.security.apiTokensFile !== null });
  if (!decision.ok) refuseToStart(decision.error);
  return decision.notice;
}

function accessOrExit(config: Readonly<Config>, logger: Logger): AccessControl {
  try {
    return createAccessControl(config, {
      onReloadError: (error) => logger.warn({ err: error }, 'API token file reload failed; the previous tokens stay in force'),
      onLimitsError: (error) => logger.warn({ err: error }, 'fleet-wide limits: Redis did not answer; this instance counts on its own meanwhile'),
    });
  } catch (error) {
    if (error instanceof TokenFileError || error instanceof CorsConfigError) refuseToStart(`${error.message} (${error.code})`);
    throw error;
  }
}

function persistedOperationsOrExit(config: Readonly<Config>): PersistedOperationStore | null {
  if (config.limits.persistedOperations === 'off') return null;
  const file = persistedOperationsPath(config.store.dataDir);
  try {
    return loadPersistedOperations(file);
  } catch (error) {
    if (error instanceof PersistedOperationsError) {
      refuseToStart(`PERSISTED_OPERATIONS=${config.limits.persistedOperations}: ${error.message} (${error.code})`);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const bindNotice = bindNoticeOrExit(config);
  const logger = createLogger({ level: config.server.logLevel, instanceId: config.fleet.instanceId });
  const access = accessOrExit(config, logger);
  const persistedOperations = persistedOperationsOrExit(config);
  logger.info(
    config.upstream.mode === 'simulator'
      ? 'upstream: the built-in Douyin simulator (set DOUYIN_UPSTREAM=live for Douyin itself)'
      : `upstream: Douyin at ${config.upstream.webUrl}`,
  );
  if (config.security.apiTokensFile === null) logger.warn(bindNotice);
  else logger.info(bindNotice);
  logger.info({ config: describeConfig(config) }, 'starting');
  for (const warning of startupWarnings(config)) logger.warn(warning);

  const metrics = createMetrics();
  const gateway = await createGateway(config, { logger, metrics }).catch((error: unknown) => {
    if (isStoreError(error) && error.code === 'STORE_LOCKED') refuseToStart(`${error.message} (${error.code})`);
    if (isFleetConfigError(error) || isPortInUseError(error)) refuseToStart(`${error.message} (${error.code})`);
    throw error;
  });
  const app = buildApp({
    config,
    services: gateway.services,
    logger,
    metrics,
    graphiqlRoomId: gateway.graphiqlRoomId,
    access,
    chatHistory: gateway.store,
    persistedOperations,
  });
  const { url } = await app.start().catch(async (error: unknown) => {
    if (!isPortInUseError(error)) throw error;
    await gateway.close();
    refuseToStart(`${error.message} (${error.code})`);
  });
  process.stdout.write(`GraphiQL: ${url}\n`);

  let stopping = false;
  // Drain first (the load balancer sees /ready 503 and clients are told to resume elsewhere),
  // then stop serving and close the gateway, whose closers hand its rooms over.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Whatever hangs, the process ends: a supervisor waiting on it would otherwise kill it later
    // without a word, and its rooms' leases would only lapse by their TTL.
    setTimeout(() => {
      logger.error({ limitMs: config.server.drainMs + SHUTDOWN_LIMIT_MS }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.server.drainMs + SHUTDOWN_LIMIT_MS).unref();
    await app.drain(config.server.drainMs);
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
