// What the start-up log prints about the configuration: everything an operator needs to
// check the settings, nothing that would leak a credential into a log file.
import { REDACTED, redactUrl } from '../server/auth/redact.ts';
import type { Config } from './types.ts';

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
    bus: { redisUrl: redactUrl(bus.redisUrl), holeFillMs: bus.holeFillMs },
    security: { ...security, corsOrigins: [...security.corsOrigins] },
    limits: { ...config.limits },
  };
}
