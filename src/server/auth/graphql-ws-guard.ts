// Token check, rate limit and subscription caps for graphql-ws. Spread the hooks into
// useServer(...) or call them from your own: onConnect returning false makes graphql-ws close
// the socket with 4403 Forbidden; onSubscribe returns GraphQL errors instead of running the
// operation; every admitted operation is released on complete, on error and on close.
import { GraphQLError } from 'graphql';
import type { TokenAuthenticator } from './authenticator.ts';
import { addressOfNodeRequest } from './client-address.ts';
import { tokenFromConnectionParams } from './extract.ts';
import { rateLimitKey, type RateLimiter } from './rate-limiter.ts';
import type { SessionRegistry } from './sessions.ts';
import type { HeldCap, SubscriptionCapsPort } from './subscription-caps.ts';
import type { RequestAuth } from './yoga-auth-plugin.ts';

/** graphql-ws close codes this guard causes (graphql-ws sends 4403 itself when onConnect is false). */
export enum GuardCloseCode {
  Forbidden = 4403,
}

/** The parts of graphql-ws's Context the guard reads; graphql-ws's own Context satisfies it. */
export interface GuardContext {
  readonly connectionParams?: Readonly<Record<string, unknown>> | undefined;
  readonly extra?: unknown;
}

export interface GraphqlWsGuardOptions {
  auth: TokenAuthenticator;
  caps: SubscriptionCapsPort;
  rateLimiter: RateLimiter;
  /** Without it a revoked token's open sockets stay open (tests of other concerns). */
  sessions?: SessionRegistry;
}

export interface GraphqlWsGuard {
  onConnect(ctx: GuardContext): boolean;
  /** undefined = go ahead; an array = refuse with these errors. */
  onSubscribe(ctx: GuardContext, id: string): Promise<GraphQLError[] | undefined>;
  onComplete(ctx: GuardContext, id: string): void;
  onError(ctx: GuardContext, id: string): void;
  onClose(ctx: GuardContext): void;
  /** The admitted caller, for the GraphQL context (`context.auth`). */
  authOf(ctx: GuardContext): RequestAuth | null;
}

export function createGraphqlWsGuard(options: GraphqlWsGuardOptions): GraphqlWsGuard {
  const callers = new WeakMap<GuardContext, RequestAuth>();
  // Most sockets hold one operation: its release is kept as it is, a Map only past one.
  const held = new WeakMap<GuardContext, Held | Map<string, Held>>();
  const sessions = new WeakMap<GuardContext, () => void>();
  const closed = new WeakSet<GuardContext>();

  const release = (ctx: GuardContext, id: string) => {
    const releases = held.get(ctx);
    if (releases instanceof Map) {
      releases.get(id)?.cap.release();
      releases.delete(id);
    } else if (releases?.id === id) {
      held.delete(ctx);
      releases.cap.release();
    }
  };
  const hold = (ctx: GuardContext, one: Held) => {
    const releases = held.get(ctx);
    if (releases === undefined) {
      held.set(ctx, one);
      return;
    }
    if (releases instanceof Map) {
      releases.get(one.id)?.cap.release();
      releases.set(one.id, one);
      return;
    }
    if (releases.id === one.id) {
      releases.cap.release();
      held.set(ctx, one);
      return;
    }
    held.set(ctx, new Map([[releases.id, releases], [one.id, one]]));
  };

  return {
    onConnect(ctx) {
      const result = options.auth.authenticate(tokenFromConnectionParams(ctx.connectionParams));
      if (!result.ok) return false;
      const request = (ctx.extra as { request?: unknown } | undefined)?.request;
      callers.set(ctx, {
        tokenId: result.tokenId,
        name: result.name,
        limitKey: rateLimitKey(result.tokenId, addressOfNodeRequest(request)),
        scopes: result.scopes,
      });
      const socket = socketOf(ctx);
      // Without a token there is nothing to revoke (the registry would hold nothing either).
      if (options.sessions !== undefined && socket !== null && result.tokenId !== null) {
        sessions.set(ctx, options.sessions.hold(result.tokenId, () => socket.close(GuardCloseCode.Forbidden, REVOKED_REASON)));
      }
      return true;
    },
    async onSubscribe(ctx, id) {
      const caller = callers.get(ctx);
      if (caller === undefined) return [refusal('FORBIDDEN', 'the connection was not authenticated')];
      if (caller.tokenId !== null && !options.auth.isActive(caller.tokenId)) {
        // Revoked since the socket opened, and the sweep has not closed it yet.
        socketOf(ctx)?.close(GuardCloseCode.Forbidden, REVOKED_REASON);
        return [refusal('REVOKED_TOKEN', 'the API token has been revoked')];
      }
      const rate = await options.rateLimiter.take(caller.limitKey);
      if (!rate.ok) {
        return [refusal('RATE_LIMITED', `too many requests: retry in ${rate.retryAfterSeconds} s`, { retryAfterSeconds: rate.retryAfterSeconds })];
      }
      const cap = await options.caps.acquire(ctx, caller.limitKey);
      if (closed.has(ctx)) {
        // The socket went while the fleet's count answered: nothing will release this one later.
        if (cap.ok) cap.release();
        return [refusal('FORBIDDEN', 'the connection is closed')];
      }
      if (!cap.ok) {
        const scope = cap.code === 'CONNECTION_LIMIT' ? 'this connection' : 'this token';
        return [refusal('SUBSCRIPTION_LIMIT', `${scope} already holds ${cap.limit} subscriptions`, { limit: cap.limit, scope: cap.code })];
      }
      hold(ctx, { id, cap });
      return undefined;
    },
    onComplete: release,
    onError: release,
    onClose(ctx) {
      closed.add(ctx);
      const releases = held.get(ctx);
      held.delete(ctx);
      if (releases instanceof Map) for (const one of releases.values()) one.cap.release();
      else releases?.cap.release();
      sessions.get(ctx)?.();
      sessions.delete(ctx);
    },
    authOf(ctx) {
      return callers.get(ctx) ?? null;
    },
  };
}

const REVOKED_REASON = 'API token revoked';

/** An admitted operation's cap, until it is released. */
interface Held {
  readonly id: string;
  readonly cap: HeldCap;
}

interface ClosableSocket {
  close(code: number, reason: string): void;
}

function socketOf(ctx: GuardContext): ClosableSocket | null {
  const socket = (ctx.extra as { socket?: Partial<ClosableSocket> } | undefined)?.socket;
  return typeof socket?.close === 'function' ? (socket as ClosableSocket) : null;
}

function refusal(code: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}
