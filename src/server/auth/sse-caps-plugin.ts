// The per-token subscription cap for subscriptions over HTTP (SSE), as graphql-ws has it through
// its guard: a token cannot dodge its cap by opening event streams instead of sockets. Each SSE
// request is its own connection, so only the token's total matters here.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestAuth } from './yoga-auth-plugin.ts';
import type { SubscriptionCapsPort } from './subscription-caps.ts';

export interface SseCapsPluginOptions {
  caps: SubscriptionCapsPort;
  /** Contexts of another transport that counts its own subscriptions (graphql-ws). */
  isCountedElsewhere(context: Record<string, unknown>): boolean;
}

export function useSseSubscriptionCaps(options: SseCapsPluginOptions): Plugin<{ auth?: RequestAuth; request?: Request }> {
  return {
    async onSubscribe({ args, setResultAndStopExecution }) {
      const context = args.contextValue as unknown as Record<string, unknown> & { auth?: RequestAuth; request?: Request };
      if (options.isCountedElsewhere(context) || context.request === undefined) return undefined;
      const limitKey = context.auth?.limitKey ?? 'open';
      const cap = await options.caps.acquire(context.request, limitKey);
      if (!cap.ok) {
        const error = new GraphQLError(`this token already holds ${cap.limit} subscriptions`, {
          extensions: { code: 'SUBSCRIPTION_LIMIT', limit: cap.limit, scope: cap.code },
        });
        setResultAndStopExecution({ errors: [error] });
        return undefined;
      }
      const release = () => cap.release();
      return {
        onSubscribeResult: () => ({ onEnd: release }),
        onSubscribeError: release,
      };
    },
  };
}
