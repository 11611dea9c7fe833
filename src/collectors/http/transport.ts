// One upstream HTTP request: the caller first waits for the host's token (acquireSlot), then
// sends with a time limit and reads the whole body (fetchOnce). Network failures and timeouts
// become UpstreamUnavailable; what the answer means is decided by the caller (classify.ts and
// the mappers).
import { unavailable, type UpstreamError } from '../errors.ts';
import { currentBudget, GATEWAY_CALLER } from './budget.ts';
import type { HostRateLimiter } from './token-bucket.ts';
import type { RawResponse } from './classify.ts';

export interface TransportOptions {
  fetch: typeof globalThis.fetch;
  limiter: HostRateLimiter;
  timeoutMs: number;
  /** An undici Dispatcher (HTTPS_PROXY); passed through to fetch untouched. */
  dispatcher?: unknown;
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  /** Skip reading the body (the web root is ~1 MB and only its Set-Cookie matters). */
  discardBody?: boolean;
}

function networkFailure(error: unknown, timeoutMs: number): UpstreamError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return unavailable(`no answer within ${timeoutMs} ms`, error);
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const why = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return unavailable(`network error (${why})`, error);
}

/**
 * Waits for the host's token, in the current request's caller's turn. Separate from fetchOnce so
 * latency metrics exclude the queueing.
 */
export function acquireSlot(options: TransportOptions, url: string): Promise<void> {
  const budget = currentBudget();
  return options.limiter.acquire(new URL(url).host, { caller: budget?.caller ?? GATEWAY_CALLER, signal: budget?.signal });
}

export async function fetchOnce(options: TransportOptions, request: SendRequest): Promise<RawResponse> {
  const init: RequestInit & { dispatcher?: unknown } = {
    method: 'GET',
    headers: request.headers,
    redirect: 'follow',
    signal: AbortSignal.timeout(options.timeoutMs),
  };
  if (options.dispatcher !== undefined) init.dispatcher = options.dispatcher;
  try {
    const response = await options.fetch(request.url, init);
    if (request.discardBody) {
      await response.body?.cancel();
      return { status: response.status, headers: response.headers, body: new Uint8Array() };
    }
    const body = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    throw networkFailure(error, options.timeoutMs);
  }
}
