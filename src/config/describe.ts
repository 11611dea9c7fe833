// What the start-up log prints about the configuration: everything an operator needs to
// check the settings, nothing that would leak a credential into a log file.
import type { Config } from './types.ts';

export const REDACTED = '<redacted>';

/** A URL with its password and query values masked; user names and hosts stay readable. */
export function redactUrl(text: string | null): string | null {
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return REDACTED;
  }
  if (url.password !== '') url.password = '***';
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '***');
  return url.toString().replace(/\/$/, '');
}

export type ConfigDescription = ReturnType<typeof describeConfig>;

export function describeConfig(config: Config) {
  const { upstream, store, bus, security } = config;
  const signer =
    upstream.signer.kind === 'service'
      ? { kind: 'service', url: redactUrl(upstream.signer.url), timeoutMs: upstream.signer.timeoutMs }
      : upstream.signer.kind === 'script'
        ? { kind: 'script', path: upstream.signer.path, timeoutMs: upstream.signer.timeoutMs }
        : { kind: 'none' };
  return {
    server: { ...config.server },
    upstream: {
      ...upstream,
      cookie: upstream.cookie === null ? null : REDACTED,
      signer,
      httpsProxy: redactUrl(upstream.httpsProxy),
      simulator: { ...upstream.simulator },
    },
    push: { ...config.push, watchRooms: [...config.push.watchRooms] },
    store: { ...store, databaseUrl: redactUrl(store.databaseUrl) },
    bus: { redisUrl: redactUrl(bus.redisUrl) },
    security: { ...security, corsOrigins: [...security.corsOrigins] },
    limits: { ...config.limits },
  };
}
