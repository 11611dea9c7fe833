// im/fetch answers a protobuf Response (protocol §4.3) — the push connection's bootstrap:
// cursor, internal_ext, push server and the wss_push_did Douyin expects in the handshake.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { count } from '../../domain/ids.ts';
import type { ImBootstrap } from '../douyin-api.ts';

const PROTO_FILE = fileURLToPath(new URL('../../../proto/webcast.proto', import.meta.url));

let responseType: protobuf.Type | null = null;

function responseTypeOf(): protobuf.Type {
  responseType ??= protobuf.loadSync(PROTO_FILE).lookupType('webcast.Response');
  return responseType;
}

/** internal_ext is `key:value|key:value…`; values may themselves hold ':' (wss_info:0-…). */
export function parseInternalExt(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split('|')) {
    const colon = part.indexOf(':');
    if (colon > 0) fields.set(part.slice(0, colon), part.slice(colon + 1));
  }
  return fields;
}

interface DecodedResponse {
  cursor: string;
  internalExt: string;
  pushServer: string;
  pushServerV2: string;
  proxyServer: string;
  now: string;
  heartbeatDuration: string;
  fetchInterval: string;
}

/** Throws protobufjs' error for bytes that are not a Response; the client maps it. */
export function decodeImFetch(body: Uint8Array, roomId: string, sentUserUniqueId: string): ImBootstrap {
  const type = responseTypeOf();
  const decoded = type.toObject(type.decode(body), { longs: String, defaults: true }) as DecodedResponse;
  const did = parseInternalExt(decoded.internalExt).get('wss_push_did');
  return {
    roomId,
    cursor: decoded.cursor,
    internalExt: decoded.internalExt,
    pushServer: decoded.pushServerV2 || decoded.pushServer || decoded.proxyServer || null,
    userUniqueId: did !== undefined && /^\d+$/.test(did) && !/^0+$/.test(did) ? did : sentUserUniqueId,
    now: count(decoded.now),
    heartbeatDuration: count(decoded.heartbeatDuration),
    fetchInterval: count(decoded.fetchInterval),
    response: body,
  };
}
