import { describe, expect, it } from 'vitest';
import { loadRoom, primeRooms } from '../../src/schema/loaders.ts';
import { contextFor, createFakes, makeRoom, roomIdFor, webRidFor } from './fakes.ts';
import { run } from './run.ts';

const twentyRooms = Array.from({ length: 20 }, (_, i) => makeRoom(i + 1));

describe('upstream calls per operation', () => {
  it('a nested query over 20 feed rooms costs one feed call, one live-status call and one rank list per room', async () => {
    const fakes = createFakes(twentyRooms);
    const result = await run(
      contextFor(fakes),
      `{ liveFeed(first: 20) { id isLive owner { id nickname payGrade { level } }
           ranks(first: 10) { rank score user { id fansClub { level } } } } }`,
    );

    expect(result.errors).toBeUndefined();
    const feed = (result.data as { liveFeed: { id: string; isLive: boolean; ranks: unknown[] }[] }).liveFeed;
    expect(feed).toHaveLength(20);
    expect(feed.every((room) => room.isLive === true && room.ranks.length === 10)).toBe(true);

    expect(fakes.douyin.count('feed')).toBe(1);
    expect(fakes.douyin.count('liveStatus')).toBe(1);
    expect(fakes.douyin.calls.find((call) => call.method === 'liveStatus')?.args[0]).toEqual(twentyRooms.map((r) => r.id));
    expect(fakes.douyin.count('rankList')).toBe(20);
    expect(new Set(fakes.douyin.calls.filter((c) => c.method === 'rankList').map((c) => (c.args[0] as { roomId: string }).roomId)).size).toBe(20);
    // Feed rooms carry their info: nothing is fetched again.
    expect(fakes.douyin.count('roomByRoomId')).toBe(0);
    expect(fakes.douyin.total()).toBe(22);
  });

  it('fetches a room named twice once, and checks live status for every room in one call', async () => {
    const fakes = createFakes([makeRoom(1), makeRoom(2)]);
    const result = await run(
      contextFor(fakes),
      `query ($a: ID!, $b: ID!) {
         first: liveRoom(roomId: $a) { id title isLive ranks(first: 3) { rank } }
         again: liveRoom(roomId: $a) { id isLive ranks(first: 5) { rank } promotions { id } currentPromotion { id } }
         both: liveRooms(ids: [$a, $b]) { id isLive }
       }`,
      { a: roomIdFor(1), b: roomIdFor(2) },
    );

    expect(result.errors).toBeUndefined();
    // `both` selects only id and isLive: room 2's info is never needed, room 1's is (title).
    expect(fakes.douyin.calls.filter((c) => c.method === 'roomByRoomId').map((c) => c.args[0])).toEqual([roomIdFor(1)]);
    expect(fakes.douyin.count('liveStatus')).toBe(1);
    expect(fakes.douyin.count('rankList')).toBe(1);
    // promotions and currentPromotion share one product list.
    expect(fakes.douyin.count('promotions')).toBe(1);
    const data = result.data as { again: { ranks: unknown[]; currentPromotion: { id: string } } };
    expect(data.again.ranks).toHaveLength(5);
    expect(data.again.currentPromotion.id).toBe('2');
  });

  it('a room loaded by web_rid is known by its room_id, and a live room by room_id is known by its web_rid', async () => {
    const fakes = createFakes([makeRoom(1), makeRoom(2)]);
    const context = contextFor(fakes);

    const byWebRid = await loadRoom(context, { kind: 'webRid', webRid: webRidFor(1) });
    const byId = await loadRoom(context, { kind: 'roomId', roomId: roomIdFor(1) });
    expect(byId).toBe(byWebRid);

    await loadRoom(context, { kind: 'roomId', roomId: roomIdFor(2) });
    await loadRoom(context, { kind: 'webRid', webRid: webRidFor(2) });
    expect(fakes.douyin.count('roomByWebRid')).toBe(1);
    expect(fakes.douyin.count('roomByRoomId')).toBe(1);
  });

  it('an ended broadcast fetched by room_id does not stand for the anchor\'s web_rid', async () => {
    const fakes = createFakes([makeRoom(3, { status: 'ENDED' })]);
    const context = contextFor(fakes);
    await loadRoom(context, { kind: 'roomId', roomId: roomIdFor(3) });
    await loadRoom(context, { kind: 'webRid', webRid: webRidFor(3) });
    expect(fakes.douyin.count('roomByWebRid')).toBe(1);
  });

  it('feed rooms prime the room loader', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const context = contextFor(fakes);
    primeRooms(context, [makeRoom(1)]);
    await loadRoom(context, { kind: 'roomId', roomId: roomIdFor(1) });
    await loadRoom(context, { kind: 'webRid', webRid: webRidFor(1) });
    expect(fakes.douyin.total()).toBe(0);
  });

  it('gives every operation its own loaders', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const query = `query ($id: ID!) { liveRoom(roomId: $id) { id isLive giftCatalog { id } } }`;
    await run(contextFor(fakes), query, { id: roomIdFor(1) });
    await run(contextFor(fakes), query, { id: roomIdFor(1) });
    expect(fakes.douyin.count('roomByRoomId')).toBe(2);
    expect(fakes.douyin.count('liveStatus')).toBe(2);
    expect(fakes.douyin.count('giftCatalog')).toBe(2);
  });
});

describe('a status-only liveRooms selection', () => {
  const rooms = Array.from({ length: 60 }, (_, i) => makeRoom(i + 1, { status: i % 3 === 0 ? 'ENDED' : 'LIVE' }));
  const ids = [...rooms.map((room) => room.id), roomIdFor(999)];

  it('makes one live-status call for every room_id and no room-info call', async () => {
    const fakes = createFakes(rooms);
    const result = await run(contextFor(fakes), `query ($ids: [ID!]!) { liveRooms(ids: $ids) { __typename id isLive } }`, { ids });
    expect(result.errors).toBeUndefined();
    const answered = (result.data as { liveRooms: { id: string; isLive: boolean | null }[] }).liveRooms;
    expect(answered.map((room) => room.id)).toEqual(ids);
    expect(answered.slice(0, 6).map((room) => room.isLive)).toEqual([false, true, true, false, true, true]);
    // A room_id Douyin does not report is not live (check_alive answers alive:false for old ids).
    expect(answered.at(-1)?.isLive).toBeNull();
    expect(fakes.douyin.calls.map((call) => call.method)).toEqual(['liveStatus']);
    expect(fakes.douyin.calls[0]?.args[0]).toEqual(ids);
  });

  it('looks into fragments: id and isLive through named and inline fragments are still status-only', async () => {
    const fakes = createFakes(rooms);
    const result = await run(
      contextFor(fakes),
      `query ($ids: [ID!]!) { liveRooms(ids: $ids) { ...Status ... on LiveRoom { id } } } fragment Status on LiveRoom { isLive }`,
      { ids: ids.slice(0, 5) },
    );
    expect(result.errors).toBeUndefined();
    expect(fakes.douyin.calls.map((call) => call.method)).toEqual(['liveStatus']);
  });

  it('fetches room info as soon as any other field is selected, even inside a fragment', async () => {
    const fakes = createFakes(rooms);
    const result = await run(
      contextFor(fakes),
      `query ($ids: [ID!]!) { liveRooms(ids: $ids) { id isLive ...Title } } fragment Title on LiveRoom { title }`,
      { ids: ids.slice(0, 3) },
    );
    expect(result.errors).toBeUndefined();
    expect(fakes.douyin.count('roomByRoomId')).toBe(3);
    expect(fakes.douyin.count('liveStatus')).toBe(1);
  });

  it('still resolves a web_rid through its room info, and a missing one is an error of its own', async () => {
    const fakes = createFakes(rooms);
    const result = await run(contextFor(fakes), `query ($ids: [ID!]!) { liveRooms(ids: $ids) { id isLive } }`, {
      ids: [webRidFor(2), roomIdFor(3), webRidFor(999)],
    });
    const answered = (result.data as { liveRooms: ({ id: string; isLive: boolean } | null)[] }).liveRooms;
    expect(answered[0]).toEqual({ id: roomIdFor(2), isLive: true });
    expect(answered[1]).toEqual({ id: roomIdFor(3), isLive: true });
    expect(answered[2]).toBeNull();
    expect(result.errors?.map((error) => error.path)).toEqual([['liveRooms', 2]]);
    expect(fakes.douyin.count('roomByWebRid')).toBe(2);
    expect(fakes.douyin.count('roomByRoomId')).toBe(0);
    expect(fakes.douyin.count('liveStatus')).toBe(1);
  });
});
