// SSE streams end when their token is revoked: each subscription over HTTP is held in the
// session registry, and revocation sends a last REVOKED_TOKEN result and completes the stream.
// graphql-ws subscriptions are ended by closing their socket (graphql-ws-guard.ts) instead.
import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, Repeater, type Plugin } from 'graphql-yoga';
import { forward, releasingOnReturn } from '../../live/stream.ts';
import { AUTH_FAILURE_MESSAGES } from './authenticator.ts';
import type { SessionRegistry } from './sessions.ts';
import type { RequestAuth } from './yoga-auth-plugin.ts';

export interface RevocableStreamsOptions {
  sessions: SessionRegistry;
  /** Contexts of another transport that ends its own sessions (graphql-ws). */
  isEndedElsewhere(context: Record<string, unknown>): boolean;
}

const REVOKED: ExecutionResult = {
  errors: [new GraphQLError(AUTH_FAILURE_MESSAGES.REVOKED_TOKEN, { extensions: { code: 'REVOKED_TOKEN' } })],
};

export function useRevocableStreams(options: RevocableStreamsOptions): Plugin<{ auth?: RequestAuth }> {
  return {
    onSubscribe({ args }) {
      const context = args.contextValue as unknown as Record<string, unknown> & { auth?: RequestAuth };
      const tokenId = context.auth?.tokenId ?? null;
      if (tokenId === null || options.isEndedElsewhere(context)) return undefined;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return undefined;
          const stream = endableStream(result as AsyncIterable<ExecutionResult>, REVOKED);
          const release = options.sessions.hold(tokenId, stream.end);
          setResult(stream.iterator);
          return { onEnd: release };
        },
      };
    },
  };
}

/**
 * The source's results until end() is called; then `last`, then done. The source is told to
 * return at once, so its resources (the room's watch) are released.
 */
export function endableStream<T>(source: AsyncIterable<T>, last: T): { iterator: Repeater<T>; end: () => void } {
  const upstream = source[Symbol.asyncIterator]();
  let letGoOnce = false;
  const letGo = () => {
    if (letGoOnce) return;
    letGoOnce = true;
    // The source may be mid-next(); it ends on its own terms, so do not wait for it.
    Promise.resolve(upstream.return?.()).catch(() => undefined);
  };
  let ended = false;
  let markEnded: () => void = () => undefined;
  const endSignal = new Promise<void>((resolve) => (markEnded = resolve));
  const iterator = new Repeater<T>(async (push, stop) => {
    try {
      if (!ended) await forward(upstream, push, Promise.race([stop, endSignal]));
    } finally {
      letGo();
    }
    if (ended) await push(last);
    stop();
  });
  const end = () => {
    if (ended) return;
    ended = true;
    letGo();
    markEnded();
  };
  return { iterator: releasingOnReturn(iterator, letGo), end };
}
