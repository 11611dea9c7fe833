// Keeps webhooks from being aimed at the gateway's own network (SSRF): a target that resolves to
// loopback, private, link-local, carrier-grade NAT, multicast or unspecified addresses is
// refused unless private targets are allowed. The check runs when a webhook is created and again
// at connect time on the address actually dialled, so a name that later resolves inward is
// refused too.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { WebhookError } from './errors.ts';

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** True for an address no public webhook target has. */
export function isPrivateAddress(address: string): boolean {
  const mapped = MAPPED_V4.exec(address);
  if (mapped !== null) return isPrivateAddress(mapped[1] as string);
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) return BLOCKED.check(address, 'ipv6');
  return true;
}

function refused(host: string, address: string): WebhookError {
  return new WebhookError(
    'WEBHOOK_PRIVATE_ADDRESS',
    `webhook target ${host} resolves to ${address}, a loopback, private or link-local address (set WEBHOOK_ALLOW_PRIVATE=true to allow it)`,
  );
}

/** Parses and checks a webhook URL; throws WebhookError. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookError('WEBHOOK_BAD_URL', 'url: not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookError('WEBHOOK_BAD_URL', 'url: only http and https targets are supported');
  if (url.username !== '' || url.password !== '') throw new WebhookError('WEBHOOK_BAD_URL', 'url: credentials in the URL are not supported');
  if (text.length > 2048) throw new WebhookError('WEBHOOK_BAD_URL', 'url: longer than 2048 characters');
  return url;
}

function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

export type Resolve = (host: string) => Promise<string[]>;

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((a) => a.address)))),
  );

/** Refuses a URL whose host is or resolves to a private address; a no-op when private targets are allowed. */
export async function checkWebhookTarget(url: URL, allowPrivate: boolean, resolve: Resolve = systemResolve): Promise<void> {
  if (allowPrivate) return;
  const host = bareHost(url);
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new WebhookError('WEBHOOK_UNRESOLVABLE', `webhook target ${host} does not resolve`);
    }
  }
  const inward = addresses.find(isPrivateAddress);
  if (inward !== undefined) throw refused(host, inward);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for the HTTP agent that refuses private answers at connect time (DNS rebinding). */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const inward = allowPrivate ? undefined : addresses.find((entry) => isPrivateAddress(entry.address));
      if (inward !== undefined) return callback(Object.assign(refused(hostname, inward.address), { errno: 0 }) as unknown as NodeJS.ErrnoException, []);
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
