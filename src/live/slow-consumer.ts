// The slow-consumer signal. Each subscriber's stream is bounded (stream.ts); a subscriber that
// falls `limit` events behind is cut off with SlowConsumerError (code SLOW_CONSUMER), and the
// transports turn that into one last coded result and a close that tells the client to resume
// from its last cursor (server/limits/slow-consumer.ts, server/graphql-ws.ts).
import { GraphQLError, type ExecutionResult } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { forward, releasingOnReturn } from './stream.ts';

export const SLOW_CONSUMER = 'SLOW_CONSUMER';
/** The close reason graphql-ws sends with 4008 (a close reason has at most 123 bytes). */
export const SLOW_CONSUMER_REASON = 'slow consumer: resume from your last cursor';

export class SlowConsumerError extends Error {
  readonly code = SLOW_CONSUMER;
  constructor(readonly limit: number) {
    super(`the subscriber fell more than ${limit} events behind and was cut off; resume from its last cursor`);
    this.name = 'SlowConsumerError';
  }
}

const MAX_CAUSE_DEPTH = 8;

/** True when `error`, or anything it wraps, is the slow-consumer failure. */
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

/** Passes results through; a slow-consumer failure becomes one final coded result. */
export function endOnSlowConsumer(source: AsyncIterable<ExecutionResult>, onCutOff: () => void = () => undefined): Repeater<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  const stream = new Repeater<ExecutionResult>(async (push, stop) => {
    try {
      await forward(iterator, push, stop);
      stop();
    } catch (error) {
      if (!isSlowConsumerFailure(error)) {
        stop(error);
        return;
      }
      onCutOff();
      await push({ errors: [slowConsumerError()] });
      stop();
    }
  });
  // The subscriber leaving stops the source too, even mid-next().
  return releasingOnReturn(stream, () => void Promise.resolve(iterator.return?.()).catch(() => undefined));
}
