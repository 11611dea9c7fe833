// The slow-consumer policy's GraphQL side. The room feed bounds each subscriber's queue and
// fails its stream with SlowConsumerError (code SLOW_CONSUMER) when the subscriber falls too far
// behind. Left alone, that failure surfaces as an uncoded, masked error; this plugin ends the
// stream with one last result carrying a coded error instead, on every transport: SSE sends it
// as its final event, graphql-ws sends it and then closes the socket (see graphql-ws.ts).
import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

export const SLOW_CONSUMER = 'SLOW_CONSUMER';
/** The close reason graphql-ws sends with 4008 (a close reason has at most 123 bytes). */
export const SLOW_CONSUMER_REASON = 'slow consumer: resume from your last cursor';

const MAX_CAUSE_DEPTH = 8;

/** True when `error`, or anything it wraps, is the feed's slow-consumer failure. */
export function isSlowConsumerFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth += 1) {
    const candidate = current as { code?: unknown; extensions?: { code?: unknown }; originalError?: unknown; cause?: unknown };
    if (candidate.code === SLOW_CONSUMER || candidate.extensions?.code === SLOW_CONSUMER) return true;
    current = candidate.originalError ?? candidate.cause;
  }
  return false;
}

export function slowConsumerError(): GraphQLError {
  return new GraphQLError(
    'this subscription fell too far behind the room\'s events and was ended; subscribe again with `after` set to the last cursor you received',
    { extensions: { code: SLOW_CONSUMER } },
  );
}

/** True for a result this policy produced: the transport should cut the client off now. */
export function isSlowConsumerResult(result: ExecutionResult | null | undefined): boolean {
  return result?.errors?.some((error) => error.extensions?.code === SLOW_CONSUMER) ?? false;
}

type ResultStream = AsyncIterable<ExecutionResult>;

/** Passes results through; a slow-consumer failure becomes one final coded result. */
export function endOnSlowConsumer(source: ResultStream, onCutOff: () => void = () => undefined): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  const done = (): IteratorReturnResult<undefined> => ({ done: true, value: undefined });
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (ended) return done();
      try {
        return await iterator.next();
      } catch (error) {
        if (!isSlowConsumerFailure(error)) throw error;
        ended = true;
        onCutOff();
        return { done: false, value: { errors: [slowConsumerError()] } };
      }
    },
    async return() {
      ended = true;
      await iterator.return?.();
      return done();
    },
    async throw(error?: unknown) {
      ended = true;
      await iterator.return?.();
      throw error;
    },
  };
}

/** `onCutOff` gets the operation's context (it tells the transports apart), once per stream ended. */
export function useSlowConsumerPolicy(options: { onCutOff?: (context: Record<string, unknown>) => void } = {}): Plugin {
  return {
    onSubscribe({ args }) {
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable<ExecutionResult>(result)) return;
          const context = (args.contextValue ?? {}) as unknown as Record<string, unknown>;
          setResult(endOnSlowConsumer(result, () => options.onCutOff?.(context)));
        },
      };
    },
  };
}
