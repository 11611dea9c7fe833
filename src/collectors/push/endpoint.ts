// Builds the signed push URL for each connection attempt (protocol §3.5): bootstrap once with
// im/fetch for the cursor, internal_ext, visitor id and push host, then resume with the latest
// cursor. Signing goes through the Signer, so the connection never knows how it is done.
import type { Agent } from 'node:http';
import type { ImBootstrap } from '../douyin-api.ts';
import { buildPushUrl, normalizePushBase, syntheticCursor } from '../signer/push-url.ts';
import type { Signer } from '../signer/signer.ts';
import { signatureStub } from '../signer/stub.ts';
import type { ResumePoint } from '../../domain/resume-point.ts';
import type { PushEndpoint } from './push-connection.ts';

export interface PushEndpointSource {
  imFetch(roomId: string, route?: string | null): Promise<ImBootstrap>;
  pushHeaders(webRid?: string | null, route?: string | null): Promise<Record<string, string>>;
  readonly visitorId: string;
}

export interface PushEndpointOptions {
  roomId: string;
  webRid: string | null;
  client: PushEndpointSource;
  signer: Signer;
  /** The configured push host; used when im/fetch names none, or always when `preferConfigured`. */
  pushBase: string;
  /** A stand-in on a known port must not be swapped for a host im/fetch names. */
  preferConfigured: boolean;
  userAgent: string;
  /** The agent that opens the socket through a proxy, for the attempt's URL; direct when absent. */
  agentFor?: (url: string) => Agent;
  /** The pool pair this connection goes through: im/fetch and the handshake use its cookie. */
  route?: string | null;
  now?: () => number;
}

export function createPushEndpoint(options: PushEndpointOptions): (resume: ResumePoint | null) => Promise<PushEndpoint> {
  let bootstrap: Promise<ImBootstrap | null> | null = null;
  const now = options.now ?? Date.now;
  return async (resume) => {
    // im/fetch answers a repeat with nothing: ask once per room session and keep the answer.
    bootstrap ??= options.client.imFetch(options.roomId, options.route ?? null).catch(() => null);
    const boot = await bootstrap;
    const userUniqueId = boot?.userUniqueId || options.client.visitorId;
    const base = normalizePushBase(
      !options.preferConfigured && boot?.pushServer ? boot.pushServer : options.pushBase,
    );
    const params = {
      roomId: options.roomId,
      userUniqueId,
      cursor: resume?.cursor || boot?.cursor || syntheticCursor(now()),
      internalExt: resume?.internalExt || boot?.internalExt || null,
      userAgent: options.userAgent,
    };
    const unsigned = buildPushUrl(base, params);
    const { signature } = await options.signer.sign({
      url: unsigned,
      stub: signatureStub({ roomId: options.roomId, userUniqueId }),
      userAgent: options.userAgent,
    });
    const url = signature ? buildPushUrl(base, { ...params, signature }) : unsigned;
    const headers = await options.client.pushHeaders(options.webRid, options.route ?? null);
    // Without a resume point of its own the stream starts at im/fetch's cursor: say so, so the
    // connection can tell whether its first frame follows on from it.
    const startsFrom = !resume?.cursor && boot?.cursor ? { cursor: boot.cursor, internalExt: boot.internalExt } : undefined;
    return {
      url,
      headers,
      ...(startsFrom === undefined ? {} : { startsFrom }),
      ...(options.agentFor === undefined ? {} : { agent: options.agentFor(url) }),
    };
  };
}
