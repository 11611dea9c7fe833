// A DouyinHttpClient wired to a scripted local server, with an injected clock, sleep and
// random so retries and the token bucket are asserted without waiting.
import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { UpstreamError } from '../../src/collectors/errors.ts';
import { DouyinHttpClient, type DouyinHttpClientOptions } from '../../src/collectors/http/client.ts';
import type { UpstreamCall } from '../../src/collectors/http/observer.ts';
import { startTestServer, type SeenRequest, type TestServer } from './test-server.ts';

export type Route = (request: SeenRequest, response: ServerResponse) => unknown;

export interface Harness {
  server: TestServer;
  routes: Map<string, Route>;
  close(): Promise<void>;
  client(overrides?: Partial<DouyinHttpClientOptions>): ClientUnderTest;
}

export interface ClientUnderTest {
  api: DouyinHttpClient;
  sleeps: number[];
  calls: UpstreamCall[];
  clock: { now: number };
}

export const TTWID = 'test-ttwid-1';

export async function startHarness(): Promise<Harness> {
  const routes = new Map<string, Route>();
  const server = await startTestServer(async (req, res) => {
    const route = routes.get(req.path);
    if (route !== undefined) return route(req, res);
    if (req.path === '/') {
      res.writeHead(200, { 'set-cookie': [`ttwid=${TTWID}; Path=/; HttpOnly`, '__ac_referer=__ac_blank'], 'content-type': 'text/html' });
      return void res.end('<html>home</html>');
    }
    res.writeHead(404);
    res.end();
  });
  return {
    server,
    routes,
    close: () => server.close(),
    client(overrides = {}) {
      const sleeps: number[] = [];
      const calls: UpstreamCall[] = [];
      const clock = { now: 0 };
      const api = new DouyinHttpClient({
        webUrl: server.origin,
        reflowUrl: server.origin,
        timeoutMs: 2000,
        retries: 3,
        ratePerSec: 10_000,
        rateBurst: 10_000,
        random: () => 0.5,
        // Time moves only when a sleep ends, as it would on a real clock.
        sleep: async (ms) => {
          sleeps.push(ms);
          clock.now += ms;
        },
        now: () => clock.now,
        observer: { onCall: (call) => calls.push(call) },
        ...overrides,
      });
      return { api, sleeps, calls, clock };
    },
  };
}

export function json(res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Answers each call with the next responder; the last one repeats. */
export function sequence(...responders: Route[]): Route {
  let index = 0;
  return (req, res) => {
    const responder = responders[Math.min(index, responders.length - 1)]!;
    index += 1;
    return responder(req, res);
  };
}

export const empty: Route = (_req, res) => {
  res.writeHead(200, { 'content-length': '0' });
  res.end();
};

export const serverError: Route = (_req, res) => {
  res.writeHead(502);
  res.end('bad gateway');
};

/**
 * One harness per test file: started before the file's tests, its routes and request log cleared
 * after each, closed at the end. Returns a getter, since the harness exists only once started.
 */
export function useHarness(): () => Harness {
  let harness: Harness | null = null;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterEach(() => {
    harness?.routes.clear();
    if (harness !== null) harness.server.requests.length = 0;
  });
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (harness === null) throw new Error('the HTTP harness is not started yet');
    return harness;
  };
}

/** The UpstreamError a call rejects with; fails the test when it resolves or rejects otherwise. */
export async function upstreamFailure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}
