// HTTPS_PROXY support. Node 20's fetch runs on a bundled undici that does not export
// ProxyAgent, so a proxy needs the `undici` package itself; it is not a dependency of this
// project, so it is loaded only when a proxy is configured, and its absence fails start-up
// instead of silently sending traffic direct.
import { ConfigError } from '../../config/errors.ts';

type UndiciModule = { ProxyAgent: new (url: string) => unknown };

// A variable, not a literal: the package is optional and must not be resolved at type-check time.
const UNDICI: string = 'undici';

export async function createProxyDispatcher(
  proxyUrl: string,
  load: () => Promise<unknown> = () => import(/* @vite-ignore */ UNDICI),
): Promise<unknown> {
  let undici: UndiciModule;
  try {
    undici = (await load()) as UndiciModule;
  } catch (error) {
    throw new ConfigError([
      {
        variable: 'HTTPS_PROXY',
        message: `needs the "undici" package, which is not installed (Node 20 does not expose its bundled ProxyAgent): ${(error as Error).message}`,
      },
    ]);
  }
  if (typeof undici.ProxyAgent !== 'function') {
    throw new ConfigError([{ variable: 'HTTPS_PROXY', message: 'the installed "undici" package has no ProxyAgent' }]);
  }
  return new undici.ProxyAgent(proxyUrl);
}
