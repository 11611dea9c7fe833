// The slow-consumer policy's GraphQL side. The live layer bounds each subscriber's stream and
// fails it with SlowConsumerError (code SLOW_CONSUMER) when the subscriber falls too far behind
// (src/live/slow-consumer.ts). Left alone, that failure surfaces as an uncoded, masked error;
// this plugin ends the stream with one last result carrying a coded error instead, on every
// transport: SSE sends it as its final event, graphql-ws sends it and then closes the socket.
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { endOnSlowConsumer } from '../../live/slow-consumer.ts';

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
