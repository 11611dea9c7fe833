// A proxy as the operator wrote it (HTTPS_PROXY or a line of DOUYIN_PROXIES), parsed once.
// HTTP(S) proxies tunnel with CONNECT; socks5:// resolves names locally, socks5h:// (and
// socks://) lets the proxy resolve them, as curl spells it.

export type ProxyProtocol = 'http' | 'https' | 'socks5' | 'socks5h';

export interface ProxySpec {
  protocol: ProxyProtocol;
  host: string;
  port: number;
  username: string | null;
  password: string | null;
  /** The URL with its password masked: safe for logs, metrics and the pool query. */
  display: string;
}

export const PROXY_SCHEMES = ['http', 'https', 'socks5', 'socks5h', 'socks'] as const;

const DEFAULT_PORTS: Record<ProxyProtocol, number> = { http: 80, https: 443, socks5: 1080, socks5h: 1080 };

export class ProxyUrlError extends Error {
  readonly code = 'BAD_PROXY_URL';
}

export function parseProxyUrl(text: string): ProxySpec {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ProxyUrlError(`"${maskedText(text)}" is not a URL (expected ${PROXY_SCHEMES.join('://, ')}://)`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (!(PROXY_SCHEMES as readonly string[]).includes(scheme)) {
    throw new ProxyUrlError(`proxy scheme "${scheme}" is not supported (expected ${PROXY_SCHEMES.join(', ')})`);
  }
  const protocol: ProxyProtocol = scheme === 'socks' ? 'socks5h' : (scheme as ProxyProtocol);
  if (url.hostname === '') throw new ProxyUrlError(`proxy URL "${maskedText(text)}" names no host`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? DEFAULT_PORTS[protocol] : Number(url.port);
  const username = url.username === '' ? null : decodeURIComponent(url.username);
  const password = url.password === '' ? null : decodeURIComponent(url.password);
  const display = `${scheme}://${username === null ? '' : `${url.username}${password === null ? '' : ':***'}@`}${url.host}`;
  return { protocol, host, port, username, password, display };
}

/** For errors about a line that did not parse: never echo what may be a password. */
function maskedText(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//***@');
}
