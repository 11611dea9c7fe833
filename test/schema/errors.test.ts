import { describe, expect, it } from 'vitest';
import { blocked, loginRequired, rateLimited, roomNotFound, unavailable } from '../../src/collectors/errors.ts';
import { StoreError } from '../../src/store/errors.ts';
import { toCodedError } from '../../src/schema/errors.ts';
import { contextFor, createFakes, makeRoom, roomIdFor, webRidFor } from './fakes.ts';
import { errorCodes, run } from './run.ts';

const ROOM_QUERY = `query ($roomId: ID, $webRid: ID) { liveRoom(roomId: $roomId, webRid: $webRid) { id title } }`;

describe('bad input is refused before any upstream call', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['letters', { roomId: 'abc' }],
    ['a negative number', { roomId: '-7690183442860198697' }],
    ['a number past 2^64', { roomId: '18446744073709551616' }],
    ['a web_rid given as roomId', { roomId: webRidFor(1) }],
    ['a room_id given as webRid', { webRid: roomIdFor(1) }],
    ['an empty webRid', { webRid: '' }],
    ['both ids', { roomId: roomIdFor(1), webRid: webRidFor(1) }],
    ['neither id', {}],
  ];

  it.each(cases)('liveRoom with %s → BAD_USER_INPUT', async (_label, variables) => {
    const fakes = createFakes([makeRoom(1)]);
    const result = await run(contextFor(fakes), ROOM_QUERY, variables);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.data).toEqual({ liveRoom: null });
    expect(fakes.douyin.total()).toBe(0);
  });

  it('liveRooms with one malformed id fails whole, with no upstream call', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const result = await run(contextFor(fakes), `{ liveRooms(ids: ["${roomIdFor(1)}", "12x"]) { id } }`);
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toContain('12x');
    expect(fakes.douyin.total()).toBe(0);
  });

  it('liveRooms refuses more than 100 ids', async () => {
    const fakes = createFakes();
    const ids = Array.from({ length: 101 }, (_, i) => roomIdFor(i + 1));
    const result = await run(contextFor(fakes), `query ($ids: [ID!]!) { liveRooms(ids: $ids) { id } }`, { ids });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(fakes.douyin.total()).toBe(0);
  });

  it.each([0, 101])('liveFeed(first: %i) → BAD_USER_INPUT', async (first) => {
    const fakes = createFakes([makeRoom(1)]);
    const result = await run(contextFor(fakes), `query ($first: Int!) { liveFeed(first: $first) { id } }`, { first });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(fakes.douyin.total()).toBe(0);
  });

  it('ranks(first: -1) fails only that field', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const result = await run(contextFor(fakes), `query ($id: ID!) { liveRoom(roomId: $id) { title ranks(first: -1) { rank } } }`, {
      id: roomIdFor(1),
    });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.data).toEqual({ liveRoom: { title: 'room 1', ranks: null } });
    expect(fakes.douyin.count('rankList')).toBe(0);
  });

  it('user needs exactly one well-formed key', async () => {
    const fakes = createFakes();
    for (const args of ['', 'id: "1", secUid: "MS4wLjABAAAAxyz"', 'id: "x1"', 'secUid: "a b"']) {
      const result = await run(contextFor(fakes), `{ user${args === '' ? '' : `(${args})`} { id } }`);
      expect(errorCodes(result), args).toEqual(['BAD_USER_INPUT']);
    }
    expect(fakes.history.calls).toHaveLength(0);
  });
});

describe('upstream failures carry their code', () => {
  const cases = [
    ['ROOM_NOT_FOUND', roomNotFound('x'), {}],
    ['LOGIN_REQUIRED', loginRequired('rank list'), {}],
    ['RATE_LIMITED', rateLimited(5000), { retryAfterMs: 5000 }],
    ['UPSTREAM_UNAVAILABLE', unavailable('timeout'), {}],
    ['UPSTREAM_UNAVAILABLE', blocked('captcha'), { reason: 'BLOCKED' }],
  ] as const;

  it.each(cases)('%s from the room lookup', async (code, error, extra) => {
    const fakes = createFakes([makeRoom(1)]);
    fakes.douyin.failures.set('roomByRoomId', () => error);
    const result = await run(contextFor(fakes), ROOM_QUERY, { roomId: roomIdFor(1) });
    expect(result.errors?.[0]?.extensions).toEqual({ code, ...extra });
    expect(result.data).toEqual({ liveRoom: null });
  });

  it('a failing room in liveRooms is null with its error; the others answer', async () => {
    const fakes = createFakes([makeRoom(1), makeRoom(2)]);
    fakes.douyin.failures.set('roomByRoomId', (id) => (id === roomIdFor(2) ? roomNotFound(String(id)) : null));
    const result = await run(contextFor(fakes), `{ liveRooms(ids: ["${roomIdFor(1)}", "${roomIdFor(2)}"]) { id } }`);
    expect(result.data).toEqual({ liveRooms: [{ id: roomIdFor(1) }, null] });
    expect(errorCodes(result)).toEqual(['ROOM_NOT_FOUND']);
    expect(result.errors?.[0]?.path).toEqual(['liveRooms', 1]);
  });

  it('a failing live-status batch nulls isLive with the code, keeping the rooms', async () => {
    const fakes = createFakes([makeRoom(1), makeRoom(2)]);
    fakes.douyin.failures.set('liveStatus', () => rateLimited(null));
    const result = await run(contextFor(fakes), `{ liveRooms(ids: ["${roomIdFor(1)}", "${roomIdFor(2)}"]) { id isLive } }`);
    expect(result.data).toEqual({ liveRooms: [{ id: roomIdFor(1), isLive: null }, { id: roomIdFor(2), isLive: null }] });
    expect(errorCodes(result)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect(result.errors?.[0]?.extensions).not.toHaveProperty('retryAfterMs');
  });

  it('an unexpected error passes as itself, for the server to mask', async () => {
    const fakes = createFakes([makeRoom(1)]);
    fakes.douyin.failures.set('rankList', () => new TypeError('boom'));
    const result = await run(contextFor(fakes), `query ($id: ID!) { liveRoom(roomId: $id) { ranks { rank } } }`, { id: roomIdFor(1) });
    expect(result.errors?.[0]?.originalError).toBeInstanceOf(TypeError);
    expect(result.errors?.[0]?.extensions.code).toBeUndefined();
  });

  it('maps store errors: bad cursors are the client\'s, outages are HISTORY_UNAVAILABLE without the driver message', () => {
    const badCursor = toCodedError(new StoreError('BAD_CURSOR', 'not a valid history cursor')) as { extensions: unknown };
    expect(badCursor.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'BAD_CURSOR' });
    const down = toCodedError(new StoreError('STORE_UNAVAILABLE', 'connect ECONNREFUSED 10.0.0.5:5432')) as Error & {
      extensions: unknown;
    };
    expect(down.extensions).toEqual({ code: 'HISTORY_UNAVAILABLE' });
    expect(down.message).not.toContain('10.0.0.5');
  });
});
