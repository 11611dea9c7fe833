// The yoga instance: the schema over HTTP (queries, SSE subscriptions, GraphiQL) plus the
// operational endpoints. graphql-ws reuses its envelop, so both transports share every plugin.
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { SecurityConfig } from '../config.ts';
import { schema } from '../schema/index.ts';
import { createSchemaContext, type SchemaObserver } from '../schema/context.ts';
import { maskError } from './errors.ts';
import { graphiqlOptions } from './graphiql.ts';
import type { Logger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';
import { useErrorMetrics, useHealth, useMetricsEndpoint, useReadiness, useRootRedirect } from './plugins.ts';
import type { GatewayServices } from './services.ts';

export const GRAPHQL_ENDPOINT = '/graphql';

export interface GatewayYogaOptions {
  services: GatewayServices;
  metrics: GatewayMetrics;
  logger: Logger;
  security: Pick<SecurityConfig, 'corsOrigins'>;
  /** The room GraphiQL's starter tabs open on. */
  graphiqlRoomId: string | null;
  /** More envelop/yoga plugins (limits, auth), applied to HTTP and WebSocket alike. */
  plugins?: Plugin[];
}

// yoga's server context on node:http; graphql-ws adds its own fields.
export type GatewayYoga = YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;

export function schemaObserver(metrics: GatewayMetrics, now: () => number = Date.now): SchemaObserver {
  return {
    subscriberJoined: (roomId) => metrics.subscribers.inc({ room_id: roomId }),
    subscriberLeft: (roomId) => metrics.subscribers.dec({ room_id: roomId }),
    eventDelivered: (event) => metrics.eventLag.observe(Math.max(0, now() - event.createdAt) / 1000),
  };
}

function corsOption(origins: readonly string[]) {
  if (origins.length === 0) return false;
  return { origin: origins.includes('*') ? '*' : [...origins], credentials: false };
}

export function createGatewayYoga(options: GatewayYogaOptions): GatewayYoga {
  const { services, metrics, logger } = options;
  const observer = schemaObserver(metrics);
  const { readiness, ...ports } = services;
  const yogaLogger = logger.child({ component: 'yoga' });

  return createYoga<Record<string, unknown>>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    landingPage: false,
    healthCheckEndpoint: '/yoga-health',
    cors: corsOption(options.security.corsOrigins),
    context: () => createSchemaContext({ ...ports, observer }),
    graphiql: graphiqlOptions(options.graphiqlRoomId),
    renderGraphiQL,
    maskedErrors: {
      maskError: (error) => maskError(error, (cause) => logger.error({ err: cause }, 'unexpected error in an operation')),
    },
    logging: {
      debug: (...args: unknown[]) => yogaLogger.debug({ args }, 'yoga'),
      info: (...args: unknown[]) => yogaLogger.info({ args }, 'yoga'),
      warn: (...args: unknown[]) => yogaLogger.warn({ args }, 'yoga'),
      error: (...args: unknown[]) => yogaLogger.error({ args }, 'yoga'),
    },
    plugins: [
      useHealth(),
      useReadiness(readiness),
      useMetricsEndpoint(metrics),
      useRootRedirect(GRAPHQL_ENDPOINT),
      useErrorMetrics(metrics),
      ...(options.plugins ?? []),
    ],
  });
}
