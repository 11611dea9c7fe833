// issue 6 proofs over the whole gateway, once per store (embedded PGlite and PostgreSQL):
// a graphql-ws client that drops mid-stream and resumes with its last cursor ends with exactly
// the simulator's ground truth; LiveRoom.events pages through exactly what was stored;
// LiveRoom.stats agrees with the ground truth; the export CLI writes exactly the stored events.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/domain/events.ts';
import { decodeCursor } from '../../src/store/cursor.ts';
import { giftTotals, type SimRoom, type TruthRecord } from '../../src/simulator/index.ts';
import { PGLITE_TIMEOUT_MS } from '../store/fixtures.ts';
import { allStored } from './fixtures/all-stored.ts';
import { postGraphQL, type GraphQLResponse } from './fixtures/graphql-http.ts';
import { embeddedStore, pgUnavailable, postgresStore, type StoreUnderTest } from './fixtures/stores.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const EXPORT_CLI = fileURLToPath(new URL('../../src/store/export-cli.ts', import.meta.url));

const ROOM_EVENTS = `subscription ($roomId: ID!, $after: String) {
  roomEvents(roomId: $roomId, after: $after) { __typename id cursor ... on ConnectionStateEvent { state } }
}`;

const EVENTS_PAGE = `query ($roomId: ID!, $first: Int!, $after: String, $types: [RoomEventType!], $since: DateTime) {
  liveRoom(roomId: $roomId) {
    events(first: $first, after: $after, types: $types, since: $since) {
      edges { cursor node { __typename id type createdAt ... on ChatEvent { content } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

const STATS = `query ($roomId: ID!) {
  liveRoom(roomId: $roomId) {
    stats {
      messagesByType { type count }
      totalMessages uniqueChatters likes follows giftDiamonds
      topGifters(first: 100) { userId diamonds giftCount }
    }
  }
}`;

interface Streamed {
  roomEvents: { __typename: string; id: string; cursor: string | null; state?: string };
}

interface Edge {
  cursor: string;
  node: { __typename: string; id: string; type: string; createdAt: string; content?: string };
}

interface EventsPage {
  liveRoom: { events: { edges: Edge[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } } };
}

interface Stats {
  liveRoom: {
    stats: {
      messagesByType: { type: string; count: number }[];
      totalMessages: number;
      uniqueChatters: number;
      likes: number;
      follows: number;
      giftDiamonds: number;
      topGifters: { userId: string; diamonds: number; giftCount: number }[];
    };
  };
}

const unique = (truth: readonly TruthRecord[]) => truth.filter((record) => !record.duplicate);
const seqOf = (cursor: string | null) => decodeCursor(cursor ?? '').seq;

/** Every stored event of the room, paged over HTTP `first` at a time. */
async function pageAll(stack: Stack, roomId: string, first: number, filter: { types?: string[]; since?: string } = {}): Promise<{ edges: Edge[]; pages: number }> {
  const edges: Edge[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages += 1) {
    const response: GraphQLResponse<EventsPage> = await postGraphQL<EventsPage>(stack.url, EVENTS_PAGE, { roomId, first, after, ...filter });
    expect(response.errors).toEqual([]);
    const connection: EventsPage['liveRoom']['events'] = response.data!.liveRoom.events;
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(connection.edges.length).toBeLessThanOrEqual(first);
    edges.push(...connection.edges);
    if (!connection.pageInfo.hasNextPage) return { edges, pages };
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor);
    after = connection.pageInfo.endCursor;
  }
}

/** A graphql-ws client and a promise of its socket having closed (after which nothing arrives). */
function wsClient(stack: Stack): { client: Client; closed: Promise<void> } {
  let onClosed = () => {};
  const closed = new Promise<void>((resolve) => (onClosed = resolve));
  const client = createClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, on: { closed: () => onClosed() } });
  return { client, closed };
}

async function waitUntilLive(stack: Stack, room: SimRoom, sub: { results: Streamed[] }): Promise<void> {
  await until(() => sub.results.some((r) => r.roomEvents.state === 'LIVE'), 'the room to go LIVE');
  await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
}

function runExport(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', EXPORT_CLI, ...args], { maxBuffer: 64 << 20, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

function historySuite(kind: string, makeStore: () => Promise<StoreUnderTest>): void {
  let target: StoreUnderTest;
  let stack: Stack;
  let stopped = false;

  beforeAll(async () => {
    target = await makeStore();
    // A long linger keeps recording while a client is away, as between a drop and its reconnect.
    stack = await startStack({ env: { ...target.env, ROOM_LINGER_MS: '60000' } });
  }, PGLITE_TIMEOUT_MS);
  afterAll(async () => {
    if (!stopped) await stack?.close();
    await target?.dispose();
  }, PGLITE_TIMEOUT_MS);

  it(`${kind}: a client that drops mid-stream and resumes with its last cursor ends with exactly the ground truth`, async () => {
    const room = stack.sim.liveRooms()[0]!;
    const firstClient = wsClient(stack);
    const first = subscribe<Streamed>(firstClient.client, ROOM_EVENTS, { roomId: room.id });
    await waitUntilLive(stack, room, first);

    const upstreamIds = () => new Set(unique(room.truth()).map((record) => record.msgId));
    const received = (results: Streamed[]) => results.filter((r) => upstreamIds().has(r.roomEvents.id)).length;
    for (let i = 0; i < 10; i += 1) room.emit(20);
    await until(() => received(first.results) >= 100, 'the first client to receive 100 messages');
    // The drop: the socket goes away with whatever the client had by then.
    await firstClient.client.dispose();
    await firstClient.closed;
    const before = first.results.map((r) => r.roomEvents);
    const lastCursor = before.at(-1)?.cursor ?? null;
    expect(lastCursor).not.toBeNull();
    for (let i = 0; i < 20; i += 1) room.emit(20);

    const secondClient = wsClient(stack);
    const second = subscribe<Streamed>(secondClient.client, ROOM_EVENTS, { roomId: room.id, after: lastCursor });
    for (let i = 0; i < 10; i += 1) room.emit(20);
    const truth = unique(room.truth());
    const lastId = truth.at(-1)!.msgId;
    await until(() => second.results.some((r) => r.roomEvents.id === lastId), 'the resumed client to reach the last message', 30_000);

    expect(first.results.length, 'the dropped client received nothing after the drop').toBe(before.length);
    const union = [...before, ...second.results.map((r) => r.roomEvents)];
    const truthIds = new Set(truth.map((record) => record.msgId));
    expect(union.filter((event) => truthIds.has(event.id)).map((event) => event.id)).toEqual(truth.map((record) => record.msgId));
    expect(new Set(union.map((event) => event.id)).size, 'no event twice, gateway events included').toBe(union.length);
    // Nothing skipped at the seam either: the union's cursors run on without a hole.
    const seqs = union.map((event) => seqOf(event.cursor));
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
    expect(seqOf(second.results[0]!.roomEvents.cursor)).toBe(seqOf(lastCursor) + 1);
    await secondClient.client.dispose();
  });

  it(`${kind}: LiveRoom.events pages through exactly what was stored, by type and by time`, async () => {
    const room = stack.sim.liveRooms()[1]!;
    const watcher = subscribe<Streamed>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id });
    await waitUntilLive(stack, room, watcher);
    const truth = unique(room.emit(500));
    await until(() => watcher.results.some((r) => r.roomEvents.id === truth.at(-1)!.msgId), 'the last message to be stored');

    const { edges, pages } = await pageAll(stack, room.id, 37);
    expect(pages).toBe(Math.ceil(edges.length / 37));
    expect(edges.length).toBe(await stack.gateway.store.countEvents(room.id));
    const truthIds = new Set(truth.map((record) => record.msgId));
    expect(edges.filter((edge) => truthIds.has(edge.node.id)).map((edge) => edge.node.id)).toEqual(truth.map((record) => record.msgId));
    expect(new Set(edges.map((edge) => edge.node.id)).size).toBe(edges.length);
    expect(edges.map((edge) => seqOf(edge.cursor))).toEqual(edges.map((_, i) => i + 1));
    // What live subscribers were given is what history gives back, cursor for cursor.
    const streamed = new Map(watcher.results.map((r) => [r.roomEvents.id, r.roomEvents.cursor]));
    for (const edge of edges) if (streamed.has(edge.node.id)) expect(streamed.get(edge.node.id)).toBe(edge.cursor);

    const chats = await pageAll(stack, room.id, 50, { types: ['CHAT'] });
    const truthChats = truth.filter((record) => record.kind === 'chat');
    expect(chats.edges.map((edge) => edge.node.id)).toEqual(truthChats.map((record) => record.msgId));
    expect(chats.edges.map((edge) => edge.node.content)).toEqual(truthChats.map((record) => record.text));

    const since = edges[Math.floor(edges.length / 2)]!.node.createdAt;
    const recent = await pageAll(stack, room.id, 50, { since });
    expect(recent.edges.map((edge) => edge.node.id)).toEqual(edges.filter((edge) => edge.node.createdAt >= since).map((edge) => edge.node.id));

    const foreign = await postGraphQL(stack.url, EVENTS_PAGE, { roomId: room.id, first: 5, after: edges[0]!.cursor.replace(/.$/, '!') });
    expect(foreign.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BAD_CURSOR' });
    const otherPage = await postGraphQL<EventsPage>(stack.url, EVENTS_PAGE, { roomId: stack.sim.liveRooms()[0]!.id, first: 1 });
    const otherRoom = otherPage.data!.liveRoom.events.edges[0]!.cursor;
    const crossed = await postGraphQL(stack.url, EVENTS_PAGE, { roomId: room.id, first: 5, after: otherRoom });
    expect(crossed.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BAD_CURSOR' });
    watcher.stop();
  });

  it(`${kind}: LiveRoom.stats agrees with the ground truth`, async () => {
    const room = stack.sim.liveRooms()[2]!;
    const likesBefore = room.model.likes;
    const watcher = subscribe<Streamed>(stack.wsClient(), ROOM_EVENTS, { roomId: room.id });
    await waitUntilLive(stack, room, watcher);
    const kinds = ['chat', 'like', 'follow', 'gift', 'member', 'share'] as const;
    const truth = unique([...room.emit(600, { kinds: [...kinds] }), ...room.emit(100, { kinds: ['gift'] })]);
    await until(() => watcher.results.some((r) => r.roomEvents.id === truth.at(-1)!.msgId), 'the last message to be stored');

    const response = await postGraphQL<Stats>(stack.url, STATS, { roomId: room.id });
    expect(response.errors).toEqual([]);
    // A combo left open for 15 s is closed by the gateway with a final GiftEvent of its own (adding
    // no diamonds); under a slow machine one may land before the stats are read.
    const gatewayFinals = (await allStored(stack.gateway.store, room.id)).filter((event) => event.type === 'GiftEvent' && event.id.startsWith('combo-final:')).length;
    const stats = response.data!.liveRoom.stats;
    const byType = new Map(stats.messagesByType.map((entry) => [entry.type, entry.count]));
    const count = (kind: string) => truth.filter((record) => record.kind === kind).length;
    expect({
      CHAT: byType.get('CHAT'),
      LIKE: byType.get('LIKE'),
      FOLLOW: byType.get('FOLLOW'),
      GIFT: byType.get('GIFT'),
      MEMBER_JOINED: byType.get('MEMBER_JOINED'),
      SHARE: byType.get('SHARE'),
    }).toEqual({
      CHAT: count('chat'),
      LIKE: count('like'),
      FOLLOW: count('follow'),
      GIFT: count('gift') + gatewayFinals,
      MEMBER_JOINED: count('member'),
      SHARE: count('share'),
    });
    expect(stats.totalMessages).toBe((await pageAll(stack, room.id, 50)).edges.length);
    expect(stats.follows).toBe(count('follow'));
    expect(stats.uniqueChatters).toBe(new Set(truth.filter((record) => record.kind === 'chat').map((record) => record.userId)).size);
    expect(stats.likes).toBe(room.model.likes - likesBefore);

    const gifts = giftTotals(truth);
    expect(gifts.diamonds).toBeGreaterThan(0);
    expect(stats.giftDiamonds).toBe(gifts.diamonds);
    const expectedGifters = [...gifts.byUser.entries()].sort((a, b) => b[1] - a[1]);
    expect(stats.topGifters.map((row) => row.diamonds)).toEqual(expectedGifters.slice(0, 100).map(([, diamonds]) => diamonds));
    for (const row of stats.topGifters) expect(row.diamonds, `gifter ${row.userId}`).toBe(gifts.byUser.get(row.userId));
    watcher.stop();
  });

  it(`${kind}: the export CLI writes exactly the room's stored events`, async () => {
    const room = stack.sim.liveRooms()[1]!;
    // The gateway lets go first: closing writes what it still holds (open gift combos become final
    // events), so the export is compared with a store nothing writes to any more. PGlite also
    // allows one process per data directory.
    await stack.close();
    stopped = true;
    const store = await target.open();
    let stored: [id: string, cursor: string, type: string][];
    try {
      stored = (await allStored(store, room.id)).map((event) => [event.id, event.cursor ?? '', event.type]);
    } finally {
      await store.close();
    }
    expect(stored.length).toBeGreaterThan(500);
    const jsonl = await runExport(['--room', room.id, '--format', 'jsonl', ...target.exportArgs]);
    const lines = jsonl.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: string; cursor: string; type: string });
    expect(lines.map((event) => [event.id, event.cursor, event.type])).toEqual(stored);
    expect(jsonl.stderr).toContain(`exported ${stored.length} events of room ${room.id}`);

    const csv = await runExport(['--room', room.id, '--format', 'csv', ...target.exportArgs]);
    const rows = csv.stdout.split('\r\n').filter((row) => row !== '');
    expect(rows[0]).toBe('cursor,id,type,created_at,created_at_iso,user_id,nickname,text,json');
    // Cursors and ids never need quoting, so the first two fields of each row read plainly.
    expect(rows.slice(1).filter((row) => /^[A-Za-z0-9_-]+,/.test(row)).map((row) => row.split(',', 2))).toEqual(
      stored.map(([id, cursor]) => [cursor, id]),
    );
  }, PGLITE_TIMEOUT_MS);
}

describe('history end to end: embedded store (PGlite in a data directory)', () => {
  historySuite('PGlite', () => embeddedStore('history-e2e'));
});

describe.skipIf(pgUnavailable !== null)(`history end to end: PostgreSQL${pgUnavailable ? ` (skipped: ${pgUnavailable})` : ''}`, () => {
  historySuite('PostgreSQL', () => postgresStore('history_e2e'));
});
