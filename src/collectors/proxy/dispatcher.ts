// An undici dispatcher whose every connection goes through one proxy, for the HTTP calls.
// The proxy only carries the TCP stream: TLS to Douyin is negotiated end to end here.
import { Agent, type buildConnector } from 'undici';
import type { ProxySpec } from './proxy-url.ts';
import { connectThrough } from './tunnel.ts';

export function createProxyDispatcher(proxy: ProxySpec, connectTimeoutMs: number): Agent {
  const connect: buildConnector.connector = (options, callback) => {
    const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
    const tls = options.protocol === 'https:' ? { servername: options.servername || options.hostname, alpn: ['http/1.1'] } : null;
    connectThrough(proxy, { host: options.hostname, port }, tls, connectTimeoutMs).then((socket) => callback(null, socket), (error: Error) => callback(error, null));
  };
  return new Agent({ connect });
}
