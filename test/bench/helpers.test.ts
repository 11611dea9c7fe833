import { describe, expect, it } from 'vitest';
import { chatFramePrefix, fastChatId } from '../../bench/lib/chat-frame.ts';
import { splitCount } from '../../bench/lib/client-pool.ts';
import { FD_RESERVE, planFds } from '../../bench/lib/fd-limit.ts';
import { argValue, parseCounts, parseSeconds } from '../../bench/lib/main.ts';
import { selectParts } from '../../bench/lib/parts.ts';

describe('fastChatId', () => {
  const next = (payload: unknown, id = 'op-7') => Buffer.from(JSON.stringify({ id, type: 'next', payload }));
  const ours = chatFramePrefix('op-7');

  it('finds the event id of a chat next message as graphql-ws and JSON.stringify write it', () => {
    const frame = next({ data: { roomEvents: { __typename: 'ChatEvent', id: '7500000000000000042', content: '主播好', user: { id: '9', nickname: 'x' } } } });
    expect(fastChatId(frame, ours)).toBe('7500000000000000042');
  });

  it('does not take a frame of another operation for ours', () => {
    expect(fastChatId(next({ data: { roomEvents: { __typename: 'ChatEvent', id: '75' } } }, 'op-70'), ours)).toBeNull();
    expect(fastChatId(next({ data: { roomEvents: { __typename: 'ChatEvent', id: '75' } } }, 'op-'), ours)).toBeNull();
  });

  it('leaves everything else to the JSON parser', () => {
    expect(fastChatId(next({ data: { roomEvents: { __typename: 'ConnectionStateEvent', id: 'c1' } } }), ours)).toBeNull();
    expect(fastChatId(next({ data: { roomEvents: { __typename: 'ChatEvent', id: 'not-a-number' } } }), ours)).toBeNull();
    expect(fastChatId(Buffer.from('{"type":"connection_ack"}'), ours)).toBeNull();
    expect(fastChatId(Buffer.from('{"id":"op-7","type":"next","payload":{"data":{"roomEvents":{"__typename":"ChatEvent","id":"12'), ours)).toBeNull();
    expect(fastChatId(Buffer.alloc(0), ours)).toBeNull();
  });
});

describe('splitCount', () => {
  it('splits subscribers over client processes as evenly as whole sockets allow', () => {
    expect(splitCount(1000, 2)).toEqual([500, 500]);
    expect(splitCount(1001, 3)).toEqual([334, 334, 333]);
    expect(splitCount(1, 2)).toEqual([1, 0]);
  });
});

describe('planFds', () => {
  it('keeps the limit when the soft one is enough', () => {
    expect(planFds(1000, { soft: 20_000, hard: 20_000 })).toEqual({ raiseTo: null, usable: 1000 });
  });

  it('raises the soft limit up to what the sockets need plus a reserve', () => {
    expect(planFds(5000, { soft: 1024, hard: 65_536 })).toEqual({ raiseTo: 5000 + FD_RESERVE, usable: 5000 });
  });

  it('caps the sockets when even the hard limit is short', () => {
    expect(planFds(5000, { soft: 1024, hard: 4096 })).toEqual({ raiseTo: 4096, usable: 4096 - FD_RESERVE });
    expect(planFds(5000, { soft: 4096, hard: 4096 })).toEqual({ raiseTo: null, usable: 4096 - FD_RESERVE });
  });
});

describe('command-line options', () => {
  it('reads --name value and --name=value', () => {
    expect(argValue('seconds', ['--seconds', '2'])).toBe('2');
    expect(argValue('seconds', ['--only', 'http', '--seconds=2.5'])).toBe('2.5');
    expect(argValue('seconds', ['--second', '2'])).toBeUndefined();
  });

  it('parses subscriber counts and refuses anything but positive whole numbers', () => {
    expect(parseCounts('100, 1000', [5])).toEqual([100, 1000]);
    expect(parseCounts(undefined, [5])).toEqual([5]);
    expect(() => parseCounts('100,abc', [5])).toThrow(RangeError);
    expect(() => parseCounts('0', [5])).toThrow(RangeError);
    expect(() => parseCounts('1.5', [5])).toThrow(RangeError);
  });

  it('parses seconds into milliseconds and refuses non-positive ones', () => {
    expect(parseSeconds('1.5', 9)).toBe(1500);
    expect(parseSeconds(undefined, 9)).toBe(9);
    expect(() => parseSeconds('-1', 9)).toThrow(RangeError);
    expect(() => parseSeconds('soon', 9)).toThrow(RangeError);
  });
});

describe('selectParts', () => {
  const parts = [{ name: 'decode' }, { name: 'fanout' }, { name: 'http' }];

  it('runs every part unless told otherwise', () => {
    expect(selectParts(parts, undefined, undefined).map((p) => p.name)).toEqual(['decode', 'fanout', 'http']);
  });

  it('keeps only the named parts, in their own order, minus the skipped ones', () => {
    expect(selectParts(parts, 'http,decode', undefined).map((p) => p.name)).toEqual(['decode', 'http']);
    expect(selectParts(parts, undefined, 'fanout').map((p) => p.name)).toEqual(['decode', 'http']);
    expect(selectParts(parts, 'http,fanout', 'http').map((p) => p.name)).toEqual(['fanout']);
  });

  it('names an unknown part instead of silently running nothing', () => {
    expect(() => selectParts(parts, 'fan-out', undefined)).toThrow(/unknown part fan-out/);
    expect(() => selectParts(parts, undefined, 'memroy')).toThrow(/unknown part memroy/);
  });
});
