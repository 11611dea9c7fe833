// Small yoga plugins, one concern each: readiness, metrics exposition, error counting,
// access logging.
import { handleStreamOrSingleExecutionResult } from '@envelop/core';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { redactUrl } from './auth/redact.ts';
import { INTERNAL_SERVER_ERROR } from './errors.ts';
import type { Logger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { ReadinessCheck } from './services.ts';

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

/**
 * GET /ready: 200 when every dependency check passes, 503 with the failing ones otherwise.
 * Matched as yoga's useReadinessCheck matches it (the URL ends with the endpoint, or the path is
 * it), without the URLPattern test that plugin runs on every other request: that test decides
 * nothing the path comparison has not, and cost about 2 % of a small query's CPU.
 */
export function useReadiness(readiness: () => Promise<ReadinessCheck[]>, endpoint = '/ready'): Plugin {
  const answer = async (): Promise<Response> => {
    let checks: ReadinessCheck[];
    try {
      checks = await readiness();
    } catch (error) {
      checks = [{ name: 'readiness', ok: false, detail: error instanceof Error ? error.message : String(error) }];
    }
    const ready = checks.every((check) => check.ok);
    return json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  };
  return {
    onRequest({ request, url, endResponse }) {
      if (!request.url.endsWith(endpoint) && url.pathname !== endpoint) return;
      return answer().then(endResponse);
    },
  };
}

/** GET /metrics: Prometheus text format. */
export function useMetricsEndpoint(metrics: GatewayMetrics, endpoint = '/metrics'): Plugin {
  return {
    onRequest({ url, request, endResponse }) {
      if (url.pathname !== endpoint || request.method !== 'GET') return;
      return metrics.render().then((text) => {
        endResponse(new Response(text, { status: 200, headers: { 'content-type': metrics.contentType } }));
      });
    },
  };
}

function countErrors(metrics: GatewayMetrics, result: ExecutionResult): void {
  for (const error of result.errors ?? []) {
    const code = error.extensions?.code;
    metrics.graphqlErrors.inc({ code: typeof code === 'string' ? code : INTERNAL_SERVER_ERROR });
  }
}

/** Counts errors sent to clients by code, over HTTP and WebSocket alike (both run envelop). */
export function useErrorMetrics(metrics: GatewayMetrics): Plugin {
  const onDone = () => ({
    onExecuteDone: (payload: Parameters<typeof handleStreamOrSingleExecutionResult>[0]) =>
      handleStreamOrSingleExecutionResult(payload, ({ result }) => countErrors(metrics, result)),
  });
  return {
    onExecute: onDone,
    onSubscribe: () => ({
      onSubscribeResult: (payload) =>
        handleStreamOrSingleExecutionResult(payload as Parameters<typeof handleStreamOrSingleExecutionResult>[0], ({ result }) =>
          countErrors(metrics, result),
        ),
    }),
    onValidate: () => ({ result }) => {
      if (result.length > 0) metrics.graphqlErrors.inc({ code: 'GRAPHQL_VALIDATION_FAILED' }, result.length);
    },
  };
}

/** `/` sends people to GraphiQL. */
export function useRootRedirect(target: string): Plugin {
  return {
    onRequest({ url, endResponse }) {
      if (url.pathname === '/') endResponse(new Response(null, { status: 302, headers: { location: target } }));
    },
  };
}

/** Long GET query strings (whole GraphQL documents) are cut in the log line. */
const MAX_LOGGED_URL = 300;

/**
 * One log line per HTTP response: method, URL with secret query values masked (vendor routes
 * take `?token=`), status and duration. Headers are never logged, so neither are bearer tokens
 * nor cookies. List it first, so its clock starts before any other plugin runs.
 */
export function useAccessLog(logger: Logger, now: () => number = () => performance.now()): Plugin {
  const started = new WeakMap<Request, number>();
  // With access logging off (LOG_LEVEL above info) nothing here is worth its per-request cost.
  if (!logger.isLevelEnabled('info')) return {};
  return {
    onRequest({ request }) {
      started.set(request, now());
    },
    onResponse({ request, response }) {
      const url = new URL(request.url, 'http://localhost');
      const start = started.get(request);
      logger.info(
        {
          method: request.method,
          url: redactUrl(`${url.pathname}${url.search}`).slice(0, MAX_LOGGED_URL),
          status: response.status,
          ...(start === undefined ? {} : { ms: Math.round((now() - start) * 10) / 10 }),
        },
        'request',
      );
    },
  };
}
