// One execution of a subscription for every member that shares its (document, variables, auth
// scope). Each result is serialized once and written to every member as its own `next` frame,
// through the member's own send path, which cuts off a member whose socket falls behind without
// slowing the others. Members come and go at any time: a joiner gets results from the next one
// on; the last one to leave stops the execution (and so releases its room watch). When the
// execution ends or fails, every member's operation ends with it, as graphql-ws ends any other.
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable } from 'graphql-yoga';
import type { SchemaObserver } from '../ports.ts';
import { isSlowConsumerResult } from '../slow-consumer.ts';
import { escapedId, nextFrame, serializeResult } from './frames.ts';
import { MemberCountingObserver } from './member-observer.ts';
import { MemberStream } from './member-stream.ts';

/** The socket a member's frames go through: one object per socket, whatever its members (the graphql-ws Connection). */
export interface FanoutSocket {
  /** Writes a whole text frame through the socket's bounded send path. */
  send(frame: Buffer): void;
  /** The group's execution fell behind its source (a SLOW_CONSUMER result went out): close this client as too slow. */
  cutOff(reason: 'queue'): void;
}

/**
 * Runs the operation once for the group. `observe` must stand in for the schema context's
 * observer (it keeps the per-room subscriber counts per member); it returns null for null.
 */
export type GroupExecution = (
  observe: (inner: SchemaObserver | null | undefined) => SchemaObserver | null,
) => Promise<ExecutionResult | AsyncIterable<ExecutionResult>>;

/**
 * A member is its own stream: one object per subscriber, holding its socket and its operation id
 * (escaped for JSON, which for most ids is the id itself) and leaving through the group's one
 * `leave`.
 */
class Member extends MemberStream {
  constructor(
    readonly socket: FanoutSocket,
    readonly escapedId: string,
    onLeave: (stream: MemberStream) => void,
  ) {
    super(onLeave);
  }
}

type GroupState = 'starting' | 'running' | 'ended';

export class SharedGroup {
  private readonly members = new Set<Member>();
  private state: GroupState = 'starting';
  private source: AsyncIterator<ExecutionResult> | null = null;
  private observer: MemberCountingObserver | null = null;
  private readonly memberLeft = (stream: MemberStream) => this.leave(stream as Member);
  /** Results serialized and sent (once each, whatever the member count). */
  results = 0;

  constructor(
    readonly key: string,
    private readonly onEnded: (group: SharedGroup) => void,
  ) {}

  get size(): number {
    return this.members.size;
  }

  get ended(): boolean {
    return this.state === 'ended';
  }

  /** Joins the operation `id` of `socket`. */
  join(id: string, socket: FanoutSocket): MemberStream {
    if (this.state === 'ended') throw new Error('cannot join a group whose execution has ended');
    const member = new Member(socket, escapedId(id), this.memberLeft);
    this.members.add(member);
    this.observer?.memberJoined();
    return member;
  }

  /** Starts the execution; call once, after the first member joined. */
  start(execute: GroupExecution): void {
    void this.run(execute);
  }

  private async run(execute: GroupExecution): Promise<void> {
    let outcome: ExecutionResult | AsyncIterable<ExecutionResult>;
    try {
      outcome = await execute((inner) => (inner ? (this.observer = new MemberCountingObserver(inner, () => this.members.size)) : null));
    } catch (error) {
      this.finish((stream) => stream.fail(error));
      return;
    }
    if (!isAsyncIterable<ExecutionResult>(outcome)) {
      const result = outcome;
      this.finish((stream) => stream.finishWith(result));
      return;
    }
    const source = outcome[Symbol.asyncIterator]();
    this.source = source;
    // Everyone left while it started: stop it again.
    if (this.state === 'ended') {
      closeQuietly(source);
      return;
    }
    this.state = 'running';
    await this.pump(source);
  }

  private async pump(source: AsyncIterator<ExecutionResult>): Promise<void> {
    for (;;) {
      let step: IteratorResult<ExecutionResult>;
      try {
        step = await source.next();
      } catch (error) {
        this.finish((stream) => stream.fail(error));
        return;
      }
      if (this.state === 'ended') return;
      if (step.done) {
        this.finish((stream) => stream.end());
        return;
      }
      this.broadcast(step.value);
    }
  }

  private broadcast(result: ExecutionResult): void {
    this.results += 1;
    const payload = serializeResult(result);
    // A member cut off by its own send leaves the set during this loop; Set iteration allows that.
    for (const member of this.members) {
      try {
        member.socket.send(nextFrame(member.escapedId, payload));
      } catch (error) {
        this.drop(member, error);
      }
    }
    if (isSlowConsumerResult(result)) {
      // As on the per-subscriber path: the coded result and the stream's end go out first.
      const sockets = [...this.members].map((member) => member.socket);
      setImmediate(() => {
        for (const socket of sockets) socket.cutOff('queue');
      });
    }
  }

  /** A member whose delivery threw ends alone, with the error. */
  private drop(member: Member, error: unknown): void {
    if (!this.members.has(member)) return;
    this.remove(member);
    member.fail(error);
    this.stopIfEmpty();
  }

  private leave(member: Member): void {
    if (!this.members.has(member)) return;
    this.remove(member);
    this.stopIfEmpty();
  }

  private remove(member: Member): void {
    this.members.delete(member);
    this.observer?.memberLeft();
  }

  private stopIfEmpty(): void {
    if (this.members.size > 0 || this.state === 'ended') return;
    this.state = 'ended';
    this.onEnded(this);
    if (this.source !== null) closeQuietly(this.source);
  }

  /** Ends every membership the same way and lets go of the execution. */
  private finish(settle: (stream: MemberStream) => void): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.onEnded(this);
    for (const member of [...this.members]) {
      this.remove(member);
      settle(member);
    }
    if (this.source !== null) closeQuietly(this.source);
  }
}

/** Stopping a source that is mid-next() must not wait for it nor leave a rejection unhandled. */
function closeQuietly(source: AsyncIterator<unknown>): void {
  try {
    Promise.resolve(source.return?.()).catch(() => undefined);
  } catch {
    // A source that throws from return() has nothing left to release.
  }
}
