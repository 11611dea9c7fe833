import type { Env } from '../../src/config.ts';

/**
 * The gateway's environment for a stand-in upstream at `httpUrl` (a simulator or the bench's own
 * feeder) instead of Douyin: every HTTP call and the push socket go there.
 */
export function liveUpstreamEnv(httpUrl: string): Env {
  return {
    DOUYIN_UPSTREAM: 'live',
    DOUYIN_WEB_URL: httpUrl,
    DOUYIN_PUSH_URL: httpUrl.replace(/^http/, 'ws'),
  };
}
