import { describe, expect, it } from 'vitest';
import { chatEvent, contextFor, createFakes, likeEvent, makeRoom, makeUser, roomIdFor } from './fakes.ts';
import { errorCodes, run } from './run.ts';

const ROOM = roomIdFor(1);
const PAGE = `query ($id: ID!, $first: Int!, $after: String, $types: [RoomEventType!], $since: DateTime) {
  liveRoom(roomId: $id) {
    events(first: $first, after: $after, types: $types, since: $since) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { __typename id createdAt ... on ChatEvent { content } } }
    }
  }
}`;

type Page = {
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { id: string; content?: string; createdAt: string } }[];
};

function pageOf(data: unknown): Page {
  return (data as { liveRoom: { events: Page } }).liveRoom.events;
}

describe('LiveRoom.events', () => {
  it('pages through stored history with the store\'s cursors, each event once', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const stored = fakes.history.append(Array.from({ length: 5 }, (_, i) => chatEvent(ROOM, `m${i}`, 1790510400000 + i)));

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result = await run(contextFor(fakes), PAGE, { id: ROOM, first: 2, after });
      expect(result.errors).toBeUndefined();
      const page = pageOf(result.data);
      pages += 1;
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.edges.map((edge) => edge.node.content ?? ''));
      expect(page.edges.map((e) => e.cursor)).toEqual(stored.filter((s) => page.edges.some((e) => e.node.id === s.id)).map((s) => s.cursor));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(pages).toBe(3);
  });

  it('passes types and since to the store and serializes times as ISO strings', async () => {
    const fakes = createFakes([makeRoom(1)]);
    fakes.history.append([chatEvent(ROOM, 'old', 1000), likeEvent(ROOM, 1, 1, 2000), chatEvent(ROOM, 'new', 3000)]);
    const result = await run(contextFor(fakes), PAGE, { id: ROOM, first: 10, types: ['CHAT'], since: '1970-01-01T00:00:02.000Z' });
    const page = pageOf(result.data);
    expect(page.edges.map((e) => [e.node.content, e.node.createdAt])).toEqual([['new', '1970-01-01T00:00:03.000Z']]);
    expect(fakes.history.calls[0]?.args[1]).toEqual({ first: 10, after: null, types: ['ChatEvent'], since: 2000 });
  });

  it('refuses a bad cursor, a bad page size and a bad time as BAD_USER_INPUT', async () => {
    const fakes = createFakes([makeRoom(1)]);
    expect(errorCodes(await run(contextFor(fakes), PAGE, { id: ROOM, first: 2, after: '%%%' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await run(contextFor(fakes), PAGE, { id: ROOM, first: 101 }))).toEqual(['BAD_USER_INPUT']);
    const badTime = await run(contextFor(fakes), PAGE, { id: ROOM, first: 2, since: 'yesterday' });
    expect(badTime.errors?.[0]?.message).toContain('DateTime');
  });

  it('says HISTORY_DISABLED without a store, and still answers the room', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const result = await run(contextFor(fakes, { history: false }), `query ($id: ID!) { liveRoom(roomId: $id) { title events { nodes { id } } stats { likes } } }`, {
      id: ROOM,
    });
    expect(result.data).toEqual({ liveRoom: { title: 'room 1', events: null, stats: null } });
    expect(errorCodes(result)).toEqual(['HISTORY_DISABLED', 'HISTORY_DISABLED']);
  });
});

describe('LiveRoom.stats', () => {
  it('exposes the store\'s aggregates, message counts most frequent first', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const gifter = makeUser('555', { nickname: 'big spender' });
    fakes.history.stats = {
      roomId: ROOM,
      messagesByType: { LikeEvent: 4, ChatEvent: 9, GiftEvent: 4 },
      totalMessages: 17,
      uniqueChatters: 3,
      likesTotal: 120,
      follows: 2,
      giftDiamondsTotal: 5_000_000_000,
      topGifters: [
        { userId: '555', user: gifter, giftCount: 3, diamonds: 300 },
        { userId: '556', user: null, giftCount: 1, diamonds: 1 },
      ],
      peakViewers: 900,
      currentViewers: 850,
      firstEventAt: 1000,
      lastEventAt: null,
    };
    const result = await run(
      contextFor(fakes),
      `query ($id: ID!) { liveRoom(roomId: $id) { stats {
         messagesByType { type count } totalMessages uniqueChatters likes follows giftDiamonds
         topGifters(first: 1) { userId diamonds user { nickname } } peakViewers currentViewers firstEventAt lastEventAt } } }`,
      { id: ROOM },
    );
    expect(result.errors).toBeUndefined();
    expect((result.data as { liveRoom: { stats: unknown } }).liveRoom.stats).toEqual({
      messagesByType: [
        { type: 'CHAT', count: 9 },
        { type: 'GIFT', count: 4 },
        { type: 'LIKE', count: 4 },
      ],
      totalMessages: 17,
      uniqueChatters: 3,
      likes: 120,
      follows: 2,
      giftDiamonds: 5_000_000_000,
      topGifters: [{ userId: '555', diamonds: 300, user: { nickname: 'big spender' } }],
      peakViewers: 900,
      currentViewers: 850,
      firstEventAt: '1970-01-01T00:00:01.000Z',
      lastEventAt: null,
    });
  });
});

describe('user', () => {
  it('finds a user seen in history by id or secUid, with avatar sizes', async () => {
    const fakes = createFakes();
    const large = { urls: ['https://p3.example/large.jpeg'], uri: null, width: 1080, height: 1080 };
    fakes.history.users.set('42', makeUser('42', { nickname: 'anchor', avatarSizes: { LARGE: large } }));
    const query = `query ($id: ID, $secUid: String) { user(id: $id, secUid: $secUid) {
      id nickname small: avatar { url } large: avatar(size: LARGE) { url width } payGrade { level nextDiamonds } } }`;

    const byId = await run(contextFor(fakes), query, { id: '42' });
    expect(byId.data).toEqual({
      user: {
        id: '42',
        nickname: 'anchor',
        small: { url: 'https://p3.example/avatar/42~100x100.jpeg' },
        large: { url: 'https://p3.example/large.jpeg', width: 1080 },
        payGrade: { level: 12, nextDiamonds: 35 },
      },
    });
    const bySecUid = await run(contextFor(fakes), query, { secUid: 'MS4wLjABAAAA42' });
    expect((bySecUid.data as { user: { id: string } }).user.id).toBe('42');
    const unknown = await run(contextFor(fakes), query, { id: '43' });
    expect(unknown).toEqual({ data: { user: null } });
  });
});

describe('SafeInt', () => {
  it('carries counts past 2^31 that Int would refuse', async () => {
    const fakes = createFakes([makeRoom(1)]);
    const result = await run(contextFor(fakes), `query ($id: ID!) { liveRoom(roomId: $id) { totalViewers startedAt } }`, { id: ROOM });
    expect(result.data).toEqual({ liveRoom: { totalViewers: 5_000_000_000, startedAt: '2026-09-27T11:59:20.000Z' } });
  });
});
