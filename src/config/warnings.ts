// Settings that are valid but probably not what the operator wants. Pure: the caller logs
// them at start-up, tests assert them.
import type { Config } from './types.ts';
import { DEFAULT_PUSH_URL, DEFAULT_WEB_URL } from './load.ts';

/** Douyin's client heartbeat is 10 s and its Response asks for 15 s; quiet rooms go longer. */
const MIN_SENSIBLE_STALL_MS = 20_000;
/** Above this sustained rate per host, Douyin's risk control blocks anonymous clients fast. */
const RISKY_RATE_PER_SEC = 20;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export function startupWarnings(config: Config): string[] {
  const { upstream, push, security, server } = config;
  const live = upstream.mode === 'live';
  const warnings: string[] = [];
  if (live && upstream.signer.kind === 'none') {
    warnings.push(
      'no signer configured (DOUYIN_SIGN_URL or DOUYIN_SIGN_SCRIPT): the push URL goes unsigned (Douyin refuses it; stand-ins accept it)',
    );
  }
  if (live && upstream.cookie === null) {
    warnings.push('no DOUYIN_COOKIE: Douyin pushes gifts and rank lists only to logged-in connections');
  }
  if (live && upstream.ratePerSec > RISKY_RATE_PER_SEC) {
    warnings.push(`UPSTREAM_RATE_PER_SEC=${upstream.ratePerSec} is high: Douyin's risk control tends to block bursts like this`);
  }
  if (!live && (upstream.webUrl !== DEFAULT_WEB_URL || push.url !== DEFAULT_PUSH_URL)) {
    warnings.push(
      'DOUYIN_WEB_URL / DOUYIN_PUSH_URL are ignored while DOUYIN_UPSTREAM=simulator (set DOUYIN_UPSTREAM=live to use a stand-in at those URLs)',
    );
  }
  if (push.stallMs < MIN_SENSIBLE_STALL_MS) {
    warnings.push(`PUSH_STALL_MS=${push.stallMs} is below ${MIN_SENSIBLE_STALL_MS}: quiet but healthy rooms will be reconnected`);
  }
  if (security.apiTokensFile === null && !isLoopback(server.host)) {
    warnings.push(`no API_TOKENS_FILE while listening on ${server.host}: anyone who can reach the port can use the API`);
  }
  if (security.corsOrigins.includes('*') && security.apiTokensFile === null) {
    warnings.push('CORS_ORIGINS=* with no API tokens: any web page can query this gateway from its visitors\' browsers');
  }
  return warnings;
}
