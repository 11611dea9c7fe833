// Builds the HTTP client from the configuration. Start-up calls this once; tests build
// DouyinHttpClient directly with their own clock, sleep and fetch.
import type { UpstreamConfig } from '../../config.ts';
import type { UpstreamResponseCache } from '../cache/response-cache.ts';
import type { Signer } from '../signer/signer.ts';
import { DouyinHttpClient } from './client.ts';
import type { UpstreamCallObserver } from './observer.ts';
import { fetch as undiciFetch } from 'undici';
import { createProxyDispatcher } from '../proxy/dispatcher.ts';
import { parseProxyUrl, type ProxySpec } from '../proxy/proxy-url.ts';
import type { UpstreamPool } from '../pool/upstream-pool.ts';

export interface HttpClientDeps {
  signer: Signer;
  observer?: UpstreamCallObserver;
  cache?: UpstreamResponseCache | null;
  /** Overrides for the simulator, whose port is known only once it listens. */
  webUrl?: string;
  reflowUrl?: string;
  /** Cookie/proxy pairs to send through instead of DOUYIN_COOKIE and HTTPS_PROXY. */
  pool?: UpstreamPool | null;
}

export async function createDouyinHttpClient(upstream: UpstreamConfig, deps: HttpClientDeps): Promise<DouyinHttpClient> {
  const proxy = upstream.httpsProxy === null ? null : parseProxyUrl(upstream.httpsProxy);
  return new DouyinHttpClient({
    webUrl: deps.webUrl ?? upstream.webUrl,
    reflowUrl: deps.reflowUrl ?? deps.webUrl ?? upstream.reflowUrl,
    cookie: upstream.cookie,
    signer: deps.signer,
    timeoutMs: upstream.httpTimeoutMs,
    retries: upstream.httpRetries,
    ratePerSec: upstream.ratePerSec,
    rateBurst: upstream.rateBurst,
    queuePerCaller: upstream.queuePerCaller,
    queueDeadlineMs: upstream.queueDeadlineMs,
    observer: deps.observer,
    ...(deps.cache ? { cache: deps.cache } : {}),
    ...(deps.pool ? { pool: deps.pool, proxyDispatcher: (spec: ProxySpec) => createProxyDispatcher(spec, upstream.httpTimeoutMs) } : {}),
    // undici's own fetch with its dispatcher: Node's global fetch runs on the undici bundled with
    // Node, which does not promise to honour a dispatcher of the installed one.
    // A pool's proxies may come with a later edit of its file: its calls always take undici's fetch.
    ...(deps.pool ? { fetch: undiciFetch as unknown as typeof fetch } : {}),
    ...(proxy === null ? {} : { dispatcher: createProxyDispatcher(proxy, upstream.httpTimeoutMs), fetch: undiciFetch as unknown as typeof fetch }),
  });
}

export { DouyinHttpClient, CHECK_ALIVE_BATCH, type DouyinHttpClientOptions } from './client.ts';
export { noObserver, type UpstreamCall, type UpstreamCallObserver, type UpstreamEndpoint } from './observer.ts';
export { DEFAULT_PROFILE, type BrowserProfile } from './browser-profile.ts';
export { decodeImFetch, parseInternalExt } from './im-fetch.ts';
