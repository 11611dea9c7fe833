// The shared-execution pieces on their own: which operations share and under which key, the
// frames built from one serialized payload, and a group's life with fake member sockets and a
// source the test drives (joins, leaves, the end, failures, the room-count bookkeeping).
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { escapedId, nextFrame, serializeResult } from '../../src/live/fanout/frames.ts';
import { FanoutGroups } from '../../src/live/fanout/groups.ts';
import { MemberStream } from '../../src/live/fanout/member-stream.ts';
import { sharingKey, stableJson } from '../../src/live/fanout/shareable.ts';
import type { FanoutSocket, GroupExecution } from '../../src/live/fanout/shared-group.ts';
import { schema } from '../../src/schema/index.ts';
import { CountingObserver, roomIdFor } from '../schema/fakes.ts';
import { until } from '../schema/run.ts';

const ROOM = roomIdFor(1);
const EVENTS = 'subscription ($roomId: ID!, $types: [RoomEventType!], $after: String) { roomEvents(roomId: $roomId, types: $types, after: $after) { id } }';

function key(query: string, variables: Record<string, unknown> = {}, tokenId: string | null = null, operationName: string | null = null) {
  return sharingKey({ schema, document: parse(query), operationName, variables, tokenId });
}

describe('sharingKey', () => {
  const base = key(EVENTS, { roomId: ROOM, types: ['CHAT', 'GIFT'] });

  it('gives roomEvents without a cursor a key', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['the same document laid out differently', () => key(EVENTS.replace(/ /g, '\n  '), { roomId: ROOM, types: ['CHAT', 'GIFT'] })],
    ['variables in another order', () => key(EVENTS, { types: ['CHAT', 'GIFT'], roomId: ROOM })],
    ['an unused variable', () => key(EVENTS, { roomId: ROOM, types: ['CHAT', 'GIFT'], unused: 1 })],
  ])('is equal for %s', (_name, other) => {
    expect(other()).toBe(base);
  });

  it.each([
    ['another room', () => key(EVENTS, { roomId: roomIdFor(2), types: ['CHAT', 'GIFT'] })],
    ['other types', () => key(EVENTS, { roomId: ROOM, types: ['CHAT'] })],
    ['types in another order (a list is ordered)', () => key(EVENTS, { roomId: ROOM, types: ['GIFT', 'CHAT'] })],
    ['a token instead of the open scope', () => key(EVENTS, { roomId: ROOM, types: ['CHAT', 'GIFT'] }, 'tok1')],
    ['another selection', () => key(EVENTS.replace('{ id }', '{ id cursor }'), { roomId: ROOM, types: ['CHAT', 'GIFT'] })],
  ])('differs for %s', (_name, other) => {
    expect(other()).not.toBe(base);
  });

  it('shares a subscription whose cursor is given as null (it resumes nothing)', () => {
    expect(key(EVENTS, { roomId: ROOM, after: null })).toMatch(/^[0-9a-f]{64}$/);
    expect(key(`subscription { roomEvents(roomId: "${ROOM}", after: null) { id } }`)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('separates two tokens', () => {
    expect(key(EVENTS, { roomId: ROOM }, 'tok1')).not.toBe(key(EVENTS, { roomId: ROOM }, 'tok2'));
  });

  it.each([
    ['a resume cursor in a variable', EVENTS, { roomId: ROOM, after: 'c1' }],
    ['a resume cursor written in the document', `subscription { roomEvents(roomId: "${ROOM}", after: "c1") { id } }`, {}],
    ['a cursor from a variable default', 'subscription ($a: String = "c1") { roomEvents(roomId: "1", after: $a) { id } }', {}],
    ['roomStatus (each subscriber starts with its own snapshot)', 'subscription { roomStatus(roomIds: ["1"]) { roomId } }', {}],
    ['a query', 'query { __typename }', {}],
    ['a root fragment spread', 'subscription { ...F } fragment F on Subscription { roomEvents(roomId: "1") { id } }', {}],
    ['a directive on the root field', 'subscription ($s: Boolean!) { roomEvents(roomId: "1") @skip(if: $s) { id } }', { s: false }],
    ['variables that do not coerce', EVENTS, { roomId: ROOM, types: ['NOT_A_TYPE'] }],
  ])('is null for %s', (_name, query, variables) => {
    expect(key(query, variables)).toBeNull();
  });

  it('picks the named operation of a document with several', () => {
    const document = `query Q { __typename } subscription S { roomEvents(roomId: "${ROOM}") { id } }`;
    expect(key(document, {}, null, 'Q')).toBeNull();
    expect(key(document, {}, null, 'S')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serializes objects with sorted keys at every level, leaving arrays and dates alone', () => {
    expect(stableJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(stableJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
  });
});

describe('frames', () => {
  it.each(['1', 'a"b\\c', 'é\u2028中文', '\ud800x', ''])('writes graphql-ws\'s own bytes for id %j', (id) => {
    const result: ExecutionResult = {
      data: { roomEvents: { id: '7', content: 'hi "there"\n' } },
      errors: [new GraphQLError('room failed', { path: ['roomEvents', 'room'], extensions: { code: 'UPSTREAM' } })],
    };
    const frame = nextFrame(escapedId(id), serializeResult(result)).toString('utf8');
    const parsed = JSON.parse(frame) as { id: string; type: string; payload: { data: unknown; errors: unknown[] } };
    expect(Object.keys(parsed)).toEqual(['id', 'type', 'payload']);
    expect(parsed.id).toBe(id);
    expect(parsed.type).toBe('next');
    expect(parsed.payload.data).toEqual(result.data);
    expect(parsed.payload.errors).toEqual([{ message: 'room failed', path: ['roomEvents', 'room'], extensions: { code: 'UPSTREAM' } }]);
    // The whole frame is plain JSON.stringify of the message, field order included.
    expect(frame).toBe(JSON.stringify({ id, type: 'next', payload: JSON.parse(serializeResult(result).toString('utf8')) }));
  });

  it('escapes an id only where JSON needs it', () => {
    expect(escapedId('3f2c-11')).toBe('3f2c-11');
    expect(escapedId('a"b\\c\n')).toBe('a\\"b\\\\c\\n');
    expect(escapedId('\ud800')).toBe('\\ud800');
  });

  it('leaves errors out of a result that has none', () => {
    expect(serializeResult({ data: { a: 1 } }).toString('utf8')).toBe('{"data":{"a":1}}');
  });
});

describe('MemberStream', () => {
  it('waits while the group runs, then ends with done', async () => {
    const stream = new MemberStream(() => undefined);
    const pending = stream.next();
    stream.end();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('hands a single result over, then ends', async () => {
    const stream = new MemberStream(() => undefined);
    stream.finishWith({ errors: [new GraphQLError('bad room')] });
    const first = await stream.next();
    expect(first.done).toBe(false);
    expect(first.value?.errors?.[0]?.message).toBe('bad room');
    expect((await stream.next()).done).toBe(true);
  });

  it('rejects a pending next() with the group\'s failure', async () => {
    const stream = new MemberStream(() => undefined);
    const pending = stream.next();
    const boom = new Error('boom');
    stream.fail(boom);
    await expect(pending).rejects.toBe(boom);
  });

  it('leaves once on return(), resolving a pending next(), and not at all after the group ended it', async () => {
    let leaves = 0;
    const stream = new MemberStream(() => (leaves += 1));
    const pending = stream.next();
    await stream.return();
    await stream.return();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(leaves).toBe(1);

    const ended = new MemberStream(() => (leaves += 1));
    ended.end();
    await ended.return();
    expect(leaves).toBe(1);
  });

  it('answers next() calls made while it waits in the order they came: the one result first, then the end', async () => {
    const stream = new MemberStream(() => undefined);
    const first = stream.next();
    const second = stream.next();
    const third = stream.next();
    expect(stream.closed).toBe(false);
    stream.finishWith({ data: { n: 1 } });
    stream.end();
    expect(stream.closed).toBe(true);
    expect(await first).toEqual({ done: false, value: { data: { n: 1 } } });
    expect(await second).toEqual({ done: true, value: undefined });
    expect(await third).toEqual({ done: true, value: undefined });
  });

  it('fails one waiting next() and ends the others; a failure after the end changes nothing', async () => {
    const stream = new MemberStream(() => undefined);
    const first = stream.next();
    const second = stream.next();
    const boom = new Error('boom');
    stream.fail(boom);
    stream.fail(new Error('later'));
    await expect(first).rejects.toBe(boom);
    expect(await second).toEqual({ done: true, value: undefined });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });
});

/** A socket with one member (the group sees the socket and the member's id). */
class FakeTarget implements FanoutSocket {
  readonly frames: { id: string; type: string; payload: ExecutionResult }[] = [];
  cutOffs = 0;
  throwOnDeliver = false;

  constructor(readonly id: string) {}

  send(frame: Buffer): void {
    if (this.throwOnDeliver) throw new Error('socket gone');
    this.frames.push(JSON.parse(frame.toString('utf8')) as never);
  }

  cutOff(reason: 'queue'): void {
    expect(reason).toBe('queue');
    this.cutOffs += 1;
  }

  data(): unknown[] {
    return this.frames.map((frame) => frame.payload.data);
  }
}

/** Joins the target's one operation to the group under `key`. */
function joinAs(groups: FanoutGroups, key: string, target: FakeTarget, execute: GroupExecution): MemberStream {
  return groups.join(key, target.id, target, execute);
}

/** A result stream the test pushes into; counts how often it was started and stopped. */
class DrivenSource {
  starts = 0;
  returns = 0;
  private readonly queue: ExecutionResult[] = [];
  private waiter: { resolve: (result: IteratorResult<ExecutionResult>) => void; reject: (error: unknown) => void } | null = null;
  private finished = false;
  observer: ReturnType<Parameters<GroupExecution>[0]> = null;
  readonly inner = new CountingObserver();

  execution(rooms: string[] = [ROOM]): GroupExecution {
    return async (observe) => {
      this.starts += 1;
      this.observer = observe(this.inner);
      for (const room of rooms) this.observer?.subscriberJoined(room);
      return this.iterable(rooms);
    };
  }

  push(result: ExecutionResult): void {
    if (this.waiter === null) this.queue.push(result);
    else this.take().resolve({ done: false, value: result });
  }

  end(): void {
    this.finished = true;
    this.waiter && this.take().resolve({ done: true, value: undefined });
  }

  fail(error: unknown): void {
    this.finished = true;
    this.waiter && this.take().reject(error);
  }

  private take() {
    const waiter = this.waiter!;
    this.waiter = null;
    return waiter;
  }

  private iterable(rooms: string[]): AsyncIterableIterator<ExecutionResult> {
    const leave = () => {
      for (const room of rooms) this.observer?.subscriberLeft(room);
    };
    const source: AsyncIterableIterator<ExecutionResult> = {
      [Symbol.asyncIterator]: () => source,
      next: () => {
        const queued = this.queue.shift();
        if (queued !== undefined) return Promise.resolve({ done: false, value: queued });
        if (this.finished) {
          leave();
          return Promise.resolve({ done: true, value: undefined });
        }
        return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
      },
      return: () => {
        this.returns += 1;
        this.finished = true;
        leave();
        this.waiter && this.take().resolve({ done: true, value: undefined });
        return Promise.resolve({ done: true, value: undefined });
      },
    };
    return source;
  }
}

function event(n: number): ExecutionResult {
  return { data: { roomEvents: { id: String(n) } } };
}

async function settled(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('a shared group', () => {
  it('runs once and writes every result to each member under its own id', async () => {
    const groups = new FanoutGroups();
    const source = new DrivenSource();
    const a = new FakeTarget('a');
    const b = new FakeTarget('b');
    joinAs(groups, 'k', a, source.execution());
    joinAs(groups, 'k', b, source.execution());
    await settled();
    source.push(event(1));
    source.push(event(2));
    await until(() => b.frames.length === 2, 2000, 'both results at b');

    expect(source.starts).toBe(1);
    expect(groups.stats()).toEqual({ groups: 1, members: 2 });
    expect(a.frames.map((frame) => [frame.id, frame.type])).toEqual([['a', 'next'], ['a', 'next']]);
    expect(b.frames.map((frame) => frame.id)).toEqual(['b', 'b']);
    expect(a.data()).toEqual([{ roomEvents: { id: '1' } }, { roomEvents: { id: '2' } }]);
    expect(b.data()).toEqual(a.data());
  });

  it('keeps keys apart: another key is another execution with its own results', async () => {
    const groups = new FanoutGroups();
    const one = new DrivenSource();
    const two = new DrivenSource();
    const a = new FakeTarget('x');
    const b = new FakeTarget('x');
    joinAs(groups, 'one', a, one.execution());
    joinAs(groups, 'two', b, two.execution());
    await settled();
    one.push(event(1));
    two.push(event(2));
    await until(() => a.frames.length === 1 && b.frames.length === 1, 2000, 'each group\'s result');
    await settled();
    expect(a.data()).toEqual([{ roomEvents: { id: '1' } }]);
    expect(b.data()).toEqual([{ roomEvents: { id: '2' } }]);
    expect(groups.stats()).toEqual({ groups: 2, members: 2 });
  });

  it('gives a joiner results from the next one on, and a leaver none after it left', async () => {
    const groups = new FanoutGroups();
    const source = new DrivenSource();
    const first = new FakeTarget('1');
    joinAs(groups, 'k', first, source.execution());
    await settled();
    source.push(event(1));
    await until(() => first.frames.length === 1, 2000, 'the first result');

    const joiner = new FakeTarget('2');
    const joined = joinAs(groups, 'k', joiner, source.execution());
    source.push(event(2));
    await until(() => joiner.frames.length === 1, 2000, 'the joiner\'s first result');
    await joined.return();
    source.push(event(3));
    await until(() => first.frames.length === 3, 2000, 'the third result');
    await settled();

    expect(joiner.data()).toEqual([{ roomEvents: { id: '2' } }]);
    expect(first.data()).toEqual([1, 2, 3].map((n) => ({ roomEvents: { id: String(n) } })));
    expect(source.starts).toBe(1);
  });

  it('stops the execution when the last member leaves, and starts a new one for the next joiner', async () => {
    const groups = new FanoutGroups();
    const source = new DrivenSource();
    const a = joinAs(groups, 'k', new FakeTarget('a'), source.execution());
    const b = joinAs(groups, 'k', new FakeTarget('b'), source.execution());
    await settled();
    await a.return();
    expect(source.returns).toBe(0);
    await b.return();
    expect(source.returns).toBe(1);
    expect(groups.stats()).toEqual({ groups: 0, members: 0 });

    const again = new DrivenSource();
    joinAs(groups, 'k', new FakeTarget('c'), again.execution());
    await settled();
    expect(again.starts).toBe(1);
    expect(groups.stats()).toEqual({ groups: 1, members: 1 });
  });

  it('stops an execution that everyone left while it was starting', async () => {
    const groups = new FanoutGroups();
    const source = new DrivenSource();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowStart: GroupExecution = async (observe) => {
      await gate;
      return source.execution()(observe);
    };
    const member = joinAs(groups, 'k', new FakeTarget('a'), slowStart);
    await member.return();
    expect(groups.stats().groups).toBe(0);
    release();
    await until(() => source.returns === 1, 2000, 'the late source to be stopped');
  });

  it('ends every member when the source ends, and fails every member when it fails', async () => {
    const groups = new FanoutGroups();
    const ending = new DrivenSource();
    const a = joinAs(groups, 'end', new FakeTarget('a'), ending.execution());
    const b = joinAs(groups, 'end', new FakeTarget('b'), ending.execution());
    const nexts = [a.next(), b.next()];
    await settled();
    ending.end();
    expect(await Promise.all(nexts)).toEqual([
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
    expect(groups.stats().groups).toBe(0);

    const failing = new DrivenSource();
    const c = joinAs(groups, 'fail', new FakeTarget('c'), failing.execution());
    const d = joinAs(groups, 'fail', new FakeTarget('d'), failing.execution());
    const failures = [c.next(), d.next()];
    await settled();
    const boom = new Error('upstream gone');
    failing.fail(boom);
    for (const failure of failures) await expect(failure).rejects.toBe(boom);
    expect(groups.stats().groups).toBe(0);
  });

  it('hands a single result (a refused operation) to every member', async () => {
    const groups = new FanoutGroups();
    const refused: GroupExecution = async () => ({ errors: [new GraphQLError('bad room id', { extensions: { code: 'BAD_USER_INPUT' } })] });
    const a = joinAs(groups, 'k', new FakeTarget('a'), refused);
    const b = joinAs(groups, 'k', new FakeTarget('b'), refused);
    for (const stream of [a, b]) {
      const first = await stream.next();
      expect(first.value?.errors?.map((error: GraphQLError) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
      expect((await stream.next()).done).toBe(true);
    }
    expect(groups.stats().groups).toBe(0);
  });

  it('drops a member whose socket throws, with the error, and keeps serving the others', async () => {
    const groups = new FanoutGroups();
    const source = new DrivenSource();
    const broken = new FakeTarget('broken');
    const healthy = new FakeTarget('healthy');
    const brokenStream = joinAs(groups, 'k', broken, source.execution());
    joinAs(groups, 'k', healthy, source.execution());
    const failure = brokenStream.next();
    await settled();
    broken.throwOnDeliver = true;
    source.push(event(1));
    await expect(failure).rejects.toThrow('socket gone');
    source.push(event(2));
    await until(() => healthy.frames.length === 2, 2000, 'both results at the healthy member');
    expect(groups.stats()).toEqual({ groups: 1, members: 1 });
  });

  it('cuts every member off after a SLOW_CONSUMER result, once it has gone out', async () => {
    const groups = new FanoutGroups();
    const source = new DrivenSource();
    const a = new FakeTarget('a');
    const b = new FakeTarget('b');
    joinAs(groups, 'k', a, source.execution());
    joinAs(groups, 'k', b, source.execution());
    await settled();
    source.push({ errors: [new GraphQLError('fell behind', { extensions: { code: 'SLOW_CONSUMER' } })] });
    await until(() => a.cutOffs === 1 && b.cutOffs === 1, 2000, 'both members to be cut off');
    expect(a.frames[0]?.payload.errors).toEqual([{ message: 'fell behind', extensions: { code: 'SLOW_CONSUMER' } }]);
    source.push(event(1));
    await until(() => a.frames.length === 2, 2000, 'an ordinary result');
    await settled();
    expect([a.cutOffs, b.cutOffs]).toEqual([1, 1]);
  });

  it('counts subscribers per room per member, whenever they join or leave', async () => {
    const groups = new FanoutGroups();
    const source = new DrivenSource();
    const other = roomIdFor(2);
    const a = joinAs(groups, 'k', new FakeTarget('a'), source.execution([ROOM, other]));
    await settled();
    expect(Object.fromEntries(source.inner.subscribers)).toEqual({ [ROOM]: 1, [other]: 1 });
    const b = joinAs(groups, 'k', new FakeTarget('b'), source.execution());
    const c = joinAs(groups, 'k', new FakeTarget('c'), source.execution());
    expect(Object.fromEntries(source.inner.subscribers)).toEqual({ [ROOM]: 3, [other]: 3 });
    await b.return();
    expect(Object.fromEntries(source.inner.subscribers)).toEqual({ [ROOM]: 2, [other]: 2 });
    source.end();
    await expect(a.next()).resolves.toEqual({ done: true, value: undefined });
    await c.return();
    expect(Object.fromEntries(source.inner.subscribers)).toEqual({ [ROOM]: 0, [other]: 0 });
  });
});
