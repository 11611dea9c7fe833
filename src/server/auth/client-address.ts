// The caller's address, for per-address rate limits when the API runs open. Read from the
// node:http request that yoga's server context and graphql-ws's `extra` both carry.

interface WithSocket {
  socket?: { remoteAddress?: string | undefined } | null;
}

export function addressOfNodeRequest(request: unknown): string | null {
  if (typeof request !== 'object' || request === null) return null;
  return (request as WithSocket).socket?.remoteAddress ?? null;
}

/** yoga's server context under the node adapter: `{ req, res }`. */
export function addressOfServerContext(serverContext: unknown): string | null {
  if (typeof serverContext !== 'object' || serverContext === null) return null;
  return addressOfNodeRequest((serverContext as { req?: unknown }).req);
}
