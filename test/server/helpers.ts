// A gateway app over the schema fakes, for server tests: real yoga, real sockets, fake ports.
import { Writable } from 'node:stream';
import type { LimitsConfig } from '../../src/config.ts';
import { buildApp, type App, type BuildAppOptions } from '../../src/server/app.ts';
import { createLogger, type Logger } from '../../src/server/logger.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import type { GatewayServices, ReadinessCheck } from '../../src/server/services.ts';
import { createFakes, makeRoom, type Fakes } from '../schema/fakes.ts';

export const TEST_CONFIG = {
  server: { port: 0, host: '127.0.0.1', logLevel: 'silent' as const },
  security: { apiTokensFile: null, corsOrigins: [] as string[] },
};

/** Log lines written by the app, parsed. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }
}

export interface TestApp {
  app: App;
  fakes: Fakes;
  readiness: { checks: ReadinessCheck[] };
  logs: LogCapture;
  logger: Logger;
}

export function servicesFrom(fakes: Fakes, readiness: { checks: ReadinessCheck[] }): GatewayServices {
  const { observer: _observer, ...ports } = fakes;
  return { ...ports, readiness: async () => readiness.checks };
}

export interface TestAppOptions {
  rooms?: number;
  graphiqlRoomId?: string | null;
  shutdownGraceMs?: number;
  /** Abuse limits and rate limits; none by default. */
  limits?: LimitsConfig;
  /** Replaces parts of the fake services (an event source with a real bounded queue, say). */
  services?: (services: GatewayServices) => GatewayServices;
  /** More buildApp options (access control, persisted operations, a socket buffer bound). */
  build?: Partial<Omit<BuildAppOptions, 'config' | 'services' | 'logger' | 'metrics'>>;
}

export function createTestApp(options: TestAppOptions = {}): TestApp {
  const fakes = createFakes(Array.from({ length: options.rooms ?? 3 }, (_, i) => makeRoom(i + 1)));
  const readiness = { checks: [{ name: 'upstream', ok: true, detail: 'fake' }] as ReadinessCheck[] };
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', destination: logs });
  const services = servicesFrom(fakes, readiness);
  const app = buildApp({
    ...options.build,
    config: options.limits === undefined ? TEST_CONFIG : { ...TEST_CONFIG, limits: options.limits },
    services: options.services === undefined ? services : options.services(services),
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    graphiqlRoomId: options.graphiqlRoomId ?? null,
    shutdownGraceMs: options.shutdownGraceMs ?? 500,
  });
  return { app, fakes, readiness, logs, logger };
}

/** POSTs an operation to the in-process yoga (no socket). */
export async function postGraphQL(
  app: App,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const response = await app.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as never };
}
