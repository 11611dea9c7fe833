// The yoga instance: the schema over HTTP (queries, SSE subscriptions, GraphiQL) plus the
// operational endpoints. graphql-ws reuses its envelop, so both transports share every plugin.
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { schema } from '../schema/index.ts';
import { createSchemaContext, type SchemaObserver } from '../schema/context.ts';
import { yogaCorsOptions, type CorsPolicy } from './auth/cors.ts';
import { useRequestBodyLimit } from './body-limit.ts';
import { maskError } from './errors.ts';
import { graphiqlOptions } from './graphiql.ts';
import { graphiqlPageRenderer } from './graphiql-page.ts';
import type { Logger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';
import { useAccessLog, useErrorMetrics, useMetricsEndpoint, useReadiness, useRootRedirect } from './plugins.ts';
import type { GatewayServices } from './services.ts';
import { RoomLabels } from './room-labels.ts';

export const GRAPHQL_ENDPOINT = '/graphql';

export interface GatewayYogaOptions {
  services: GatewayServices;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Browser origins allowed to call (CORS_ORIGINS); none gets no CORS headers. */
  cors: CorsPolicy;
  /** The room GraphiQL's starter tabs open on. */
  graphiqlRoomId: string | null;
  /** More envelop/yoga plugins (vendor routes, auth, limits), in order, after the built-in ones; they apply to HTTP and WebSocket alike. */
  plugins?: Plugin[];
}

// yoga's server context on node:http; graphql-ws adds its own fields.
export type GatewayYoga = YogaServerInstance<Record<string, unknown>, Record<string, unknown>>;

/** Rooms that get their own subscribers series; the rest are counted as room_id="_other". */
export const MAX_ROOM_SERIES = 200;

export function schemaObserver(metrics: GatewayMetrics, now: () => number = Date.now, maxRoomSeries = MAX_ROOM_SERIES): SchemaObserver {
  const labels = new RoomLabels(maxRoomSeries);
  return {
    subscriberJoined: (roomId) => metrics.subscribers.inc({ room_id: labels.join(roomId) }),
    subscriberLeft: (roomId) => {
      const change = labels.leave(roomId);
      if (change === null) return;
      if (change.emptied) metrics.subscribers.remove({ room_id: change.label });
      else metrics.subscribers.dec({ room_id: change.label });
    },
    eventDelivered: (event) => metrics.eventLag.observe(Math.max(0, now() - event.createdAt) / 1000),
  };
}

/** Far above any document the token limit lets through; a bigger body is refused unread. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/**
 * Parse failures are not cached: yoga's error cache would key them by the whole (possibly
 * huge) source text, and answering a rejected document from the cache would skip the limit
 * plugins that count rejections. Parsing a refused document again is cheap: the token limit
 * stops the parser early.
 */
const NO_ERROR_CACHE = { get: () => undefined, set: () => undefined };

export function createGatewayYoga(options: GatewayYogaOptions): GatewayYoga {
  const { services, metrics, logger } = options;
  const observer = schemaObserver(metrics);
  const { readiness, ...ports } = services;
  const yogaLogger = logger.child({ component: 'yoga' });

  return createYoga<Record<string, unknown>>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    landingPage: false,
    // Yoga's own liveness check: an empty 200 while the process serves HTTP, whatever the dependencies say.
    healthCheckEndpoint: '/health',
    cors: yogaCorsOptions(options.cors),
    // Capped by useRequestBodyLimit below, which skips yoga's per-request byte counting when node:http already bounds the body.
    maxRequestBodySize: false,
    parserAndValidationCache: { errorCache: NO_ERROR_CACHE },
    // Persisted operations may be named by GraphQL over HTTP's documentId (limits/persisted-operations.ts).
    extraParamNames: ['documentId'],
    context: () => createSchemaContext({ ...ports, observer }),
    graphiql: graphiqlOptions(options.graphiqlRoomId),
    renderGraphiQL: graphiqlPageRenderer(),
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
      useAccessLog(logger.child({ component: 'access' })),
      useReadiness(readiness),
      useMetricsEndpoint(metrics),
      useRootRedirect(GRAPHQL_ENDPOINT),
      useErrorMetrics(metrics),
      ...(options.plugins ?? []),
      useRequestBodyLimit(MAX_REQUEST_BODY_BYTES),
    ],
  });
}
