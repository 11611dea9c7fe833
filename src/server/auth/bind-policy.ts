// Whether the gateway may listen where it was asked to: without API tokens it is open to
// anyone who reaches the port, so it may then only listen on a loopback address.

export type BindDecision = { ok: true; notice: string } | { ok: false; error: string };

export interface BindRequest {
  host: string;
  /** API_TOKENS_FILE is set (even if it holds no tokens yet: then everyone is refused). */
  tokensConfigured: boolean;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export function bindPolicy({ host, tokensConfigured }: BindRequest): BindDecision {
  if (tokensConfigured) {
    return { ok: true, notice: `API tokens required (API_TOKENS_FILE); listening on ${host}` };
  }
  if (isLoopbackHost(host)) {
    return {
      ok: true,
      notice:
        `no API tokens configured: the API is open to every caller, so it listens only on ${host} (loopback). ` +
        'To serve other machines set API_TOKENS_FILE and create a token with "npm run tokens -- add <name>".',
    };
  }
  return {
    ok: false,
    error:
      `refusing to listen on ${host} without API tokens: anyone who can reach the port could use the API. ` +
      'Set API_TOKENS_FILE and create a token with "npm run tokens -- add <name>", or set HOST=127.0.0.1.',
  };
}
