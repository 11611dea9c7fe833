// The ttwid source: a GET of the web root, of which only the Set-Cookie headers matter.
import { unavailable, UpstreamError } from '../errors.ts';
import type { UpstreamCallObserver } from './observer.ts';
import { acquireSlot, fetchOnce, type TransportOptions } from './transport.ts';

export interface WebRootOptions {
  transport: TransportOptions;
  webUrl: string;
  userAgent: string;
  observer: UpstreamCallObserver;
  now: () => number;
}

export function webRootSetCookies(options: WebRootOptions): () => Promise<string[]> {
  return async () => {
    const url = `${options.webUrl}/`;
    await acquireSlot(options.transport, url);
    const started = options.now();
    let status: number | null = null;
    const observe = (outcome: UpstreamError['code'] | 'ok') =>
      options.observer.onCall({ endpoint: 'ttwid', durationMs: options.now() - started, outcome, status, attempt: 0 });
    try {
      const raw = await fetchOnce(options.transport, {
        url,
        headers: { 'user-agent': options.userAgent, accept: 'text/html' },
        discardBody: true,
      });
      status = raw.status;
      if (raw.status >= 500) throw unavailable(`the web root answered HTTP ${raw.status}`);
      observe('ok');
      return raw.headers.getSetCookie();
    } catch (error) {
      observe(error instanceof UpstreamError ? error.code : 'UPSTREAM_UNAVAILABLE');
      throw error;
    }
  };
}
