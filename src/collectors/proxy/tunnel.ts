// Opens a TCP connection to a destination through a proxy: HTTP CONNECT (over TLS for an
// https:// proxy) or SOCKS5 (the `socks` library speaks the protocol). The caller wraps the
// socket in TLS when the destination is https/wss, so the proxy sees only an encrypted stream.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { lookup } from 'node:dns/promises';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { SocksClient } from 'socks';
import type { ProxySpec } from './proxy-url.ts';

export interface Destination {
  host: string;
  port: number;
}

export class ProxyTunnelError extends Error {
  readonly code = 'PROXY_TUNNEL_FAILED';
  constructor(proxy: ProxySpec, destination: Destination, why: string, cause?: unknown) {
    super(`proxy ${proxy.display} could not reach ${destination.host}:${destination.port}: ${why}`, cause === undefined ? undefined : { cause });
  }
}

export function openTunnel(proxy: ProxySpec, destination: Destination, timeoutMs: number): Promise<Socket> {
  return proxy.protocol === 'http' || proxy.protocol === 'https'
    ? connectTunnel(proxy, destination, timeoutMs)
    : socksTunnel(proxy, destination, timeoutMs);
}

/** A tunnel, wrapped in TLS when the destination speaks https/wss (`servername` set). */
export async function connectThrough(
  proxy: ProxySpec,
  destination: Destination,
  tls: { servername: string; alpn?: string[] } | null,
  timeoutMs: number,
): Promise<Socket> {
  const socket = await openTunnel(proxy, destination, timeoutMs);
  if (tls === null) return socket;
  try {
    return await secureTunnel(socket, tls.servername, tls.alpn);
  } catch (error) {
    socket.destroy();
    throw new ProxyTunnelError(proxy, destination, `TLS through the tunnel failed: ${(error as Error).message}`, error);
  }
}

function secureTunnel(socket: Socket, servername: string, alpn?: string[]): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tlsConnect({ socket, servername, ...(alpn === undefined ? {} : { ALPNProtocols: alpn }) });
    secure.once('secureConnect', () => {
      secure.off('error', reject);
      resolve(secure);
    });
    secure.once('error', reject);
  });
}

function basicAuth(proxy: ProxySpec): Record<string, string> {
  if (proxy.username === null) return {};
  const credentials = Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64');
  return { 'proxy-authorization': `Basic ${credentials}` };
}

function connectTunnel(proxy: ProxySpec, destination: Destination, timeoutMs: number): Promise<Socket> {
  const authority = `${destination.host.includes(':') ? `[${destination.host}]` : destination.host}:${destination.port}`;
  const send = proxy.protocol === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send({
      host: proxy.host,
      port: proxy.port,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...basicAuth(proxy) },
      timeout: timeoutMs,
      agent: false,
    });
    request.once('connect', (response: IncomingMessage, socket: Socket) => {
      if (response.statusCode === 200) {
        socket.setTimeout(0);
        resolve(socket);
        return;
      }
      socket.destroy();
      reject(new ProxyTunnelError(proxy, destination, `CONNECT answered HTTP ${response.statusCode}`));
    });
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.once('error', (error) => reject(new ProxyTunnelError(proxy, destination, error.message, error)));
    request.end();
  });
}

async function socksTunnel(proxy: ProxySpec, destination: Destination, timeoutMs: number): Promise<Socket> {
  try {
    const { socket } = await SocksClient.createConnection({
      proxy: {
        host: proxy.host,
        port: proxy.port,
        type: 5,
        ...(proxy.username === null ? {} : { userId: proxy.username, password: proxy.password ?? '' }),
      },
      command: 'connect',
      destination: { host: await socksDestinationHost(proxy, destination.host), port: destination.port },
      timeout: timeoutMs,
    });
    return socket;
  } catch (error) {
    throw new ProxyTunnelError(proxy, destination, error instanceof Error ? error.message : String(error), error);
  }
}

/** socks5:// resolves the name here (curl's meaning); socks5h:// sends the name to the proxy. */
async function socksDestinationHost(proxy: ProxySpec, host: string): Promise<string> {
  if (proxy.protocol !== 'socks5' || isIP(host) !== 0) return host;
  return (await lookup(host)).address;
}
