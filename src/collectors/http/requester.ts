// The policy every upstream call shares: identical calls in flight coalesced, cookies (ttwid +
// the configured one), msToken and a_bogus, a token bucket per host, a time limit per
// attempt, retries with backoff and full jitter for idempotent calls, an observer per request.
import type { UpstreamResponseCache } from '../cache/response-cache.ts';
import { isUpstreamError, unavailable, UpstreamError } from '../errors.ts';
import type { Signer } from '../signer/signer.ts';
import { fullJitterDelay, type BackoffPolicy } from '../backoff.ts';
import { isTransient } from './retry.ts';
import { randomMsToken, type BrowserProfile } from './browser-profile.ts';
import { classifyResponse, type RawResponse } from './classify.ts';
import { InFlight } from './coalesce.ts';
import type { UpstreamCallObserver, UpstreamEndpoint } from './observer.ts';
import { urlOf, type QueryPairs } from './requests.ts';
import { chargeCall, currentBudget, isClientGone } from './budget.ts';
import { acquireSlot, fetchOnce, type TransportOptions } from './transport.ts';
import { cookieHas, TtwidStore } from './ttwid.ts';

export interface RequestSpec<T> {
  endpoint: UpstreamEndpoint;
  /** Calls with the same key while one is in flight share its result. */
  key: string;
  base: string;
  path: string;
  query: QueryPairs;
  referer: string;
  /** Ask the signer for an a_bogus. */
  signed: boolean;
  /** Only idempotent calls are retried. */
  idempotent: boolean;
  /** Turns a good answer into the result; throws UpstreamError when the body says no. */
  read: (raw: RawResponse) => T;
  /** What a 200 with no body means once a fresh ttwid did not help: a result or a thrown error. */
  onEmpty: () => T;
  /** An empty body may be a stale ttwid: refresh it and try once more (default true). */
  emptyMayBeStaleTtwid?: boolean;
  /** Set for answers the response cache may keep (when the endpoint has a freshness window). */
  cache?: CachePolicy<T>;
  /** The pool pair to send through while it is healthy (a room's im/fetch goes with its push connection). */
  route?: string | null;
}

/** Where one call goes: its cookie, the ttwid obtained that way, and the proxy it goes through. */
export interface UpstreamRoute {
  /** The pool pair's id; null for the gateway's single route (no pool configured). */
  id: string | null;
  cookie: string | null;
  ttwid: TtwidStore;
  /** An undici Dispatcher for the route's proxy; direct when undefined. */
  dispatcher?: unknown;
}

/** What an attempt's answer says about its route (see src/collectors/pool/). */
export type RouteOutcome = { kind: 'ok' } | { kind: 'refused' | 'no-answer'; reason: string } | { kind: 'neutral' };

export interface RouteSource {
  /** The route for the next attempt; throws a coded UpstreamError (UPSTREAM_DEGRADED) when none may be used. */
  pick(preferred: string | null): UpstreamRoute;
  report(route: UpstreamRoute, outcome: RouteOutcome): void;
}

/** The gateway's one cookie, ttwid and proxy: nothing to move to, nothing to report. */
export function singleRoute(route: UpstreamRoute): RouteSource {
  return { pick: () => route, report: () => undefined };
}

export interface CachePolicy<T> {
  /** The reading of the body this call wants; 'model' (the domain value) unless said. */
  view?: string;
  /** Names push events find the entry by, e.g. `room:<id>` (see src/collectors/cache/). */
  tags: (value: T) => readonly string[];
}

export interface RequesterOptions {
  transport: TransportOptions;
  profile: BrowserProfile;
  routes: RouteSource;
  signer: Signer;
  retries: number;
  backoff: BackoffPolicy;
  /** A 429 that asks to wait longer than this is reported, not waited out. */
  maxRetryAfterMs: number;
  observer: UpstreamCallObserver;
  cache?: UpstreamResponseCache;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Monotonic clock for durations. */
  now: () => number;
}

/** Marks errors a retry would only repeat (captcha, 404, a body of the wrong shape). */
const permanentErrors = new WeakSet<UpstreamError>();
/** Failures where nothing answered (network error, timeout), as opposed to an answer that said no. */
const noAnswerErrors = new WeakSet<UpstreamError>();
/** A call refused by one pool pair moves to the next healthy one at once, this many times at most. */
const MAX_ROUTE_MOVES = 8;

export function permanent(error: UpstreamError): UpstreamError {
  permanentErrors.add(error);
  return error;
}

const NO_BODY = new Uint8Array(0);

/** The same call, answering the body it read beside the value, for the cache to keep. */
function keepingBody<T>(spec: RequestSpec<T>): RequestSpec<{ body: Uint8Array; value: T }> {
  return {
    ...spec,
    cache: undefined,
    read: (raw) => ({ body: raw.body, value: spec.read(raw) }),
    onEmpty: () => ({ body: NO_BODY, value: spec.onEmpty() }),
  };
}

type AttemptResult<T> = { kind: 'value'; value: T } | { kind: 'staleTtwid' };

export class UpstreamRequester {
  private readonly inFlight = new InFlight();
  private msToken: string | null = null;

  constructor(private readonly options: RequesterOptions) {}

  /**
   * Identical calls in flight are shared, and a shared call runs in the turn (and under the abort
   * signal) of the caller that made it first. If that caller's client went away and dropped it,
   * a caller whose own client is still there makes the call again in its own turn.
   */
  request<T>(spec: RequestSpec<T>): Promise<T> {
    return this.shared(spec).catch((error: unknown) => {
      if (!isClientGone(error) || currentBudget()?.signal?.aborted === true) throw error;
      return this.shared(spec);
    });
  }

  private shared<T>(spec: RequestSpec<T>): Promise<T> {
    const cache = this.options.cache;
    if (cache === undefined || spec.cache === undefined || !cache.covers(spec.endpoint)) {
      // Callers reading the body differently must not receive each other's reading.
      return this.inFlight.run(`${spec.cache?.view ?? 'model'}\u0000${spec.key}`, () => this.withRetries(spec));
    }
    return cache.get({
      endpoint: spec.endpoint,
      key: spec.key,
      view: spec.cache.view ?? 'model',
      tags: spec.cache.tags,
      read: (body) => (body.byteLength === 0 ? spec.onEmpty() : spec.read({ status: 200, headers: new Headers(), body })),
      load: () => this.withRetries(keepingBody(spec)),
    });
  }

  /** The Cookie header of a route (the pool pair `preferred` while it is healthy); see routeCookieHeader. */
  async cookieHeader(preferred: string | null = null): Promise<{ header: string | null; cachedTtwid: boolean; route: string | null }> {
    const route = this.options.routes.pick(preferred);
    return { ...(await this.routeCookieHeader(route)), route: route.id };
  }

  /** The Cookie header: the route's ttwid unless its configured cookie carries its own. */
  private async routeCookieHeader(route: UpstreamRoute): Promise<{ header: string | null; cachedTtwid: boolean }> {
    const configured = route.cookie;
    if (cookieHas(configured, 'ttwid')) return { header: configured, cachedTtwid: false };
    const { ttwid, cached } = await route.ttwid.get();
    const parts = [ttwid === null ? null : `ttwid=${ttwid}`, configured].filter((p): p is string => p !== null);
    return { header: parts.length > 0 ? parts.join('; ') : null, cachedTtwid: cached && ttwid !== null };
  }

  private async withRetries<T>(spec: RequestSpec<T>): Promise<T> {
    chargeCall(currentBudget());
    let ttwidRefreshed = false;
    let moves = 0;
    for (let attempt = 0; ; attempt += 1) {
      let route: UpstreamRoute | null = null;
      try {
        route = this.options.routes.pick(spec.route ?? null);
        const result = await this.attempt(spec, route, attempt, !ttwidRefreshed);
        if (result.kind === 'value') return result.value;
        ttwidRefreshed = true;
        route.ttwid.invalidate();
        attempt -= 1; // a refreshed ttwid is a second chance, not a retry
      } catch (error) {
        const failure = isUpstreamError(error) ? error : unavailable('unexpected failure', error);
        // Another pool pair may well be let in where this one was refused: try it now, as a
        // move rather than a retry (the same request, answered by Douyin for another pair).
        if (route?.id != null && this.isRouteFault(failure) && moves < MAX_ROUTE_MOVES && currentBudget()?.signal?.aborted !== true) {
          moves += 1;
          attempt -= 1;
          ttwidRefreshed = false;
          continue;
        }
        // Nobody is waiting for a retry once the client has gone.
        const wait = currentBudget()?.signal?.aborted === true ? null : this.retryDelay(spec, failure, attempt);
        if (wait === null) throw failure;
        await this.options.sleep(wait);
      }
    }
  }

  private isRouteFault(error: UpstreamError): boolean {
    return error.code === 'BLOCKED' || noAnswerErrors.has(error);
  }

  private outcomeOf(error: unknown, status: number | null): RouteOutcome {
    if (!isUpstreamError(error)) return { kind: 'neutral' };
    if (error.code === 'BLOCKED') return { kind: 'refused', reason: error.message };
    if (error.code === 'UPSTREAM_UNAVAILABLE' && status === null) {
      noAnswerErrors.add(error);
      return { kind: 'no-answer', reason: error.message };
    }
    return { kind: 'neutral' };
  }

  /** Milliseconds before the next try, or null when this failure is final. */
  private retryDelay(spec: Pick<RequestSpec<unknown>, 'idempotent'>, error: UpstreamError, attempt: number): number | null {
    if (!spec.idempotent || attempt >= this.options.retries) return null;
    if (!isTransient(error) || permanentErrors.has(error)) return null;
    const jitter = fullJitterDelay(attempt, this.options.backoff, this.options.random);
    if (error.retryAfterMs === null) return jitter;
    return error.retryAfterMs > this.options.maxRetryAfterMs ? null : Math.max(error.retryAfterMs, jitter);
  }

  private async attempt<T>(spec: RequestSpec<T>, route: UpstreamRoute, attempt: number, mayRefreshTtwid: boolean): Promise<AttemptResult<T>> {
    let status: number | null = null;
    // A signer failure says nothing about the route: it is neither reported nor a reason to move.
    const url = await this.signedUrl(spec);
    try {
      const cookie = await this.routeCookieHeader(route);
      await acquireSlot(this.options.transport, url);
      const started = this.options.now();
      const observe = (outcome: UpstreamError['code'] | 'ok') =>
        this.options.observer.onCall({ endpoint: spec.endpoint, durationMs: this.options.now() - started, outcome, status, attempt, route: route.id });
      try {
        const transport = route.dispatcher === undefined ? this.options.transport : { ...this.options.transport, dispatcher: route.dispatcher };
        const raw = await fetchOnce(transport, { url, headers: this.headers(spec.referer, cookie.header) });
        status = raw.status;
        this.msToken = raw.headers.get('x-ms-token') ?? this.msToken;
        const result = this.interpret(spec, raw, mayRefreshTtwid && cookie.cachedTtwid);
        observe(result.kind === 'value' ? 'ok' : 'BLOCKED');
        this.options.routes.report(route, result.kind === 'value' ? { kind: 'ok' } : { kind: 'neutral' });
        return result;
      } catch (error) {
        observe(isUpstreamError(error) ? error.code : 'UPSTREAM_UNAVAILABLE');
        throw error;
      }
    } catch (error) {
      // The ttwid fetch through the route's proxy counts too: a dead proxy fails there first.
      this.options.routes.report(route, this.outcomeOf(error, status));
      throw error;
    }
  }

  private interpret<T>(spec: RequestSpec<T>, raw: RawResponse, ttwidMayBeStale: boolean): AttemptResult<T> {
    const classified = classifyResponse(raw, Date.now());
    if (classified.kind === 'failed') throw classified.permanent ? permanent(classified.error) : classified.error;
    if (classified.kind === 'empty') {
      if (ttwidMayBeStale && (spec.emptyMayBeStaleTtwid ?? true)) return { kind: 'staleTtwid' };
      return { kind: 'value', value: spec.onEmpty() };
    }
    return { kind: 'value', value: spec.read(raw) };
  }

  private async signedUrl(spec: Pick<RequestSpec<unknown>, 'base' | 'path' | 'query' | 'signed'>): Promise<string> {
    const query: QueryPairs = [...spec.query, ['msToken', this.msToken ?? randomMsToken(this.options.random)]];
    const url = urlOf(spec.base, spec.path, query);
    if (!spec.signed || this.options.signer.kind === 'none') return url;
    try {
      const { aBogus } = await this.options.signer.sign({ url, stub: '', userAgent: this.options.profile.userAgent });
      return aBogus ? `${url}&a_bogus=${encodeURIComponent(aBogus)}` : url;
    } catch (error) {
      throw permanent(unavailable(`the signer failed: ${(error as Error).message}`, error));
    }
  }

  private headers(referer: string, cookie: string | null): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': this.options.profile.userAgent,
      accept: 'application/json, text/plain, */*',
      'accept-language': `${this.options.profile.language},zh;q=0.9`,
      referer,
    };
    if (cookie !== null) headers.cookie = cookie;
    return headers;
  }
}
