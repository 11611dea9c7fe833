// What graphql-ws iterates for one member of a shared group. The group writes the member's
// `next` frames itself, so this stream yields nothing while the group runs: it only says how the
// membership ended, which is what graphql-ws turns into the protocol's own frames: done → a
// `complete` (when the client did not complete it first), a failure → an `error`. A group whose
// execution gave a single result instead of a stream hands it over here, to go out as graphql-ws
// sends any single result. return() (the client's `complete`, or its socket closing) leaves the
// group at once.
import type { ExecutionResult } from 'graphql';
import { boundedStream, type BoundedStream, type StreamSink } from '../stream.ts';

export interface MemberStream extends BoundedStream<ExecutionResult> {
  /** True once the membership has ended, however it ended. */
  readonly closed: boolean;
  /** One result for graphql-ws to send, then the end. */
  finishWith(result: ExecutionResult): void;
  /** The group's source ended: graphql-ws sends `complete`. */
  end(): void;
  /** The group's execution failed: graphql-ws sends `error`. */
  fail(error: unknown): void;
}

/** `onLeave` runs once if the member leaves (return()) before the group ended its membership. */
export function memberStream(onLeave: () => void): MemberStream {
  let sink: StreamSink<ExecutionResult> | null = null;
  let settled = false;
  const stream = boundedStream<ExecutionResult>(1, (attached) => {
    sink = attached;
    return () => {
      if (!settled) onLeave();
      settled = true;
    };
  });
  const settle = (how: (open: StreamSink<ExecutionResult>) => void) => {
    if (settled || sink === null) return;
    settled = true;
    how(sink);
  };
  return Object.defineProperties(stream, {
    closed: { get: () => sink?.closed ?? true },
    finishWith: {
      value: (result: ExecutionResult) =>
        settle((open) => {
          open.push(result);
          open.end();
        }),
    },
    end: { value: () => settle((open) => open.end()) },
    fail: { value: (error: unknown) => settle((open) => open.fail(error)) },
  }) as MemberStream;
}
