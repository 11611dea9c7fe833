// Token check and rate limit for GraphQL over HTTP and SSE (`Authorization: Bearer …`), as a
// yoga plugin. The GraphiQL page itself is served without a token (it holds no data); the
// queries it sends need one like any other.
import type { Plugin } from 'graphql-yoga';
import { AUTH_FAILURE_MESSAGES, type AuthFailureCode, type TokenAuthenticator } from './authenticator.ts';
import { addressOfServerContext } from './client-address.ts';
import { tokenFromBearer } from './extract.ts';
import { rateLimitKey, type RateDecision, type RateLimiter } from './rate-limiter.ts';
import type { TokenScope } from './token-file.ts';

/** What resolvers find in `context.auth`. */
export interface RequestAuth {
  tokenId: string | null;
  name: string;
  /** The key rate limits and subscription caps count under. */
  limitKey: string;
  /** What the caller may do; a mutation needs `write`. */
  scopes: readonly TokenScope[];
}

export interface TokenAuthPluginOptions {
  auth: TokenAuthenticator;
  rateLimiter: RateLimiter;
  /** Only requests to this path are guarded; defaults to /graphql. */
  graphqlEndpoint?: string;
}

export function useTokenAuth(options: TokenAuthPluginOptions): Plugin<{ auth?: RequestAuth }> {
  const endpoint = options.graphqlEndpoint ?? '/graphql';
  const admitted = new WeakMap<Request, RequestAuth>();
  return {
    // Not async: the in-process limiter answers at once, and an async hook would cost every
    // request a promise and a turn of the microtask queue. Redis' limiter answers later.
    onRequest({ request, url, serverContext, endResponse }) {
      if (url.pathname !== endpoint || request.method === 'OPTIONS' || isGraphiqlPage(request)) return;
      const result = options.auth.authenticate(tokenFromBearer(request.headers));
      if (!result.ok) {
        endResponse(graphqlErrorResponse(401, result.code, AUTH_FAILURE_MESSAGES[result.code], { 'WWW-Authenticate': 'Bearer' }));
        return;
      }
      const limitKey = rateLimitKey(result.tokenId, addressOfServerContext(serverContext));
      const admit = (decision: RateDecision): void => {
        if (!decision.ok) {
          endResponse(
            graphqlErrorResponse(429, 'RATE_LIMITED', `too many requests: retry in ${decision.retryAfterSeconds} s`, {
              'Retry-After': String(decision.retryAfterSeconds),
            }),
          );
          return;
        }
        admitted.set(request, { tokenId: result.tokenId, name: result.name, limitKey, scopes: result.scopes });
      };
      const decision = options.rateLimiter.take(limitKey);
      if (decision instanceof Promise) return decision.then(admit);
      admit(decision);
    },
    onContextBuilding({ context, extendContext }) {
      if (context.auth !== undefined) return;
      const auth = context.request === undefined ? undefined : admitted.get(context.request);
      if (auth !== undefined) extendContext({ auth });
    },
  };
}

function isGraphiqlPage(request: Request): boolean {
  return request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');
}

function graphqlErrorResponse(
  status: number,
  code: AuthFailureCode | 'RATE_LIMITED',
  message: string,
  headers: Record<string, string>,
): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}
