// SSE streams end when their token is revoked: each subscription over HTTP is held in the
// session registry, and revocation sends a last REVOKED_TOKEN result and completes the stream.
// graphql-ws subscriptions are ended by closing their socket (graphql-ws-guard.ts) instead.
import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
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
export function endableStream<T>(source: AsyncIterable<T>, last: T): { iterator: AsyncIterableIterator<T>; end: () => void } {
  const upstream = source[Symbol.asyncIterator]();
  let ended = false;
  let lastSent = false;
  let wake: ((result: IteratorResult<T>) => void) | null = null;
  const afterEnd = (): IteratorResult<T> => {
    if (lastSent) return { done: true, value: undefined };
    lastSent = true;
    return { done: false, value: last };
  };
  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (ended) return Promise.resolve(afterEnd());
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        wake = resolve;
        upstream.next().then((result) => {
          if (wake !== resolve) return;
          wake = null;
          resolve(ended ? afterEnd() : result);
        }, reject);
      });
    },
    return() {
      ended = true;
      lastSent = true;
      void upstream.return?.();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  const end = () => {
    if (ended) return;
    ended = true;
    void upstream.return?.();
    const waiting = wake;
    wake = null;
    waiting?.(afterEnd());
  };
  return { iterator, end };
}
