// An http.Agent that opens each socket through a proxy, for the push WebSocket (ws takes an
// agent for its handshake request). One agent serves one URL scheme: Node checks that an
// agent's protocol matches the request's.
import { Agent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProxySpec } from './proxy-url.ts';
import { connectThrough } from './tunnel.ts';

type Created = (error: Error | null, socket?: Duplex) => void;

export class ProxyTunnelAgent extends Agent {
  readonly protocol: 'http:' | 'https:';

  constructor(
    private readonly proxy: ProxySpec,
    secure: boolean,
    private readonly connectTimeoutMs: number,
    options: AgentOptions = {},
  ) {
    super({ ...options, keepAlive: false });
    this.protocol = secure ? 'https:' : 'http:';
  }

  /** Node's Agent accepts a socket later through the callback (nothing returned now). */
  override createConnection(options: ClientRequestArgs & { servername?: string }, created: Created): undefined {
    const host = options.hostname ?? options.host ?? 'localhost';
    const port = Number(options.port) || (this.protocol === 'https:' ? 443 : 80);
    const tls = this.protocol === 'https:' ? { servername: options.servername || host } : null;
    connectThrough(this.proxy, { host, port }, tls, this.connectTimeoutMs).then((socket) => created(null, socket), (error: Error) => created(error));
    return undefined;
  }
}

/** The agent for one push URL (ws:// or wss://). */
export function pushAgent(proxy: ProxySpec, url: string, connectTimeoutMs: number): ProxyTunnelAgent {
  return new ProxyTunnelAgent(proxy, new URL(url).protocol === 'wss:', connectTimeoutMs);
}
