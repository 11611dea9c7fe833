// Builds the HTTP client from the configuration. Start-up calls this once; tests build
// DouyinHttpClient directly with their own clock, sleep and fetch.
import type { UpstreamConfig } from '../../config.ts';
import type { UpstreamResponseCache } from '../cache/response-cache.ts';
import type { Signer } from '../signer/signer.ts';
import { DouyinHttpClient } from './client.ts';
import type { UpstreamCallObserver } from './observer.ts';
import { createProxyDispatcher } from './proxy.ts';

export interface HttpClientDeps {
  signer: Signer;
  observer?: UpstreamCallObserver;
  cache?: UpstreamResponseCache | null;
  /** Overrides for the simulator, whose port is known only once it listens. */
  webUrl?: string;
  reflowUrl?: string;
}

export async function createDouyinHttpClient(upstream: UpstreamConfig, deps: HttpClientDeps): Promise<DouyinHttpClient> {
  const dispatcher = upstream.httpsProxy === null ? undefined : await createProxyDispatcher(upstream.httpsProxy);
  return new DouyinHttpClient({
    webUrl: deps.webUrl ?? upstream.webUrl,
    reflowUrl: deps.reflowUrl ?? deps.webUrl ?? upstream.reflowUrl,
    cookie: upstream.cookie,
    signer: deps.signer,
    timeoutMs: upstream.httpTimeoutMs,
    retries: upstream.httpRetries,
    ratePerSec: upstream.ratePerSec,
    rateBurst: upstream.rateBurst,
    observer: deps.observer,
    ...(deps.cache ? { cache: deps.cache } : {}),
    dispatcher,
  });
}

export { DouyinHttpClient, CHECK_ALIVE_BATCH, type DouyinHttpClientOptions } from './client.ts';
export { noObserver, type UpstreamCall, type UpstreamCallObserver, type UpstreamEndpoint } from './observer.ts';
export { DEFAULT_PROFILE, type BrowserProfile } from './browser-profile.ts';
export { createProxyDispatcher } from './proxy.ts';
export { decodeImFetch, parseInternalExt } from './im-fetch.ts';
