// Drain for subscriptions over HTTP (SSE): each one is held here while it runs, and drain ends
// them all with a last SERVER_DRAINING result and then `complete`, so an SSE client learns to
// resubscribe elsewhere with its cursor instead of seeing its stream cut. graphql-ws
// subscriptions end by their socket's close code instead (graphql-ws.ts, 1012).
import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { endableStream } from './auth/revocable-streams.ts';

export const SERVER_DRAINING = 'SERVER_DRAINING';

const DRAINING: ExecutionResult = {
  errors: [
    new GraphQLError('this instance is shutting down: subscribe again (another instance will answer) with after: your last cursor', {
      extensions: { code: SERVER_DRAINING },
    }),
  ],
};

export class DrainableStreams {
  private readonly ends = new Set<() => void>();
  private draining = false;

  hold(end: () => void): () => void {
    if (this.draining) {
      end();
      return () => undefined;
    }
    this.ends.add(end);
    return () => this.ends.delete(end);
  }

  /** Ends every held stream, and any that starts from now on. */
  endAll(): void {
    this.draining = true;
    for (const end of [...this.ends]) end();
    this.ends.clear();
  }

  get size(): number {
    return this.ends.size;
  }
}

export function useDrainableStreams(options: { streams: DrainableStreams; isEndedElsewhere(context: Record<string, unknown>): boolean }): Plugin {
  return {
    onSubscribe({ args }) {
      if (options.isEndedElsewhere(args.contextValue as unknown as Record<string, unknown>)) return undefined;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return undefined;
          const stream = endableStream(result as AsyncIterable<ExecutionResult>, DRAINING);
          const release = options.streams.hold(stream.end);
          setResult(stream.iterator);
          return { onEnd: release };
        },
      };
    },
  };
}
