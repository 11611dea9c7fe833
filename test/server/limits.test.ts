// The abuse limits in the real yoga app, over HTTP and graphql-ws: each refuses before any
// resolver runs (no upstream call), with a stable code and one count per refusal in
// graphql_rejections_total{reason}; GraphiQL's introspection and starter tabs pass the
// default limits; persisted operations in allow and only modes.
import { getIntrospectionQuery, parse, print } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type LimitsConfig } from '../../src/config.ts';
import { ROOM_EVENTS_TAB, ROOM_QUERY_TAB } from '../../src/server/graphiql.ts';
import { costedDocument, sizingVariables } from '../../src/server/limits/cost-limit.ts';
import { schema } from '../../src/schema/index.ts';
import {
  parsePersistedOperations,
  persistedOperationsOf,
  PersistedOperationsError,
  sha256Hex,
} from '../../src/server/limits/persisted-operations.ts';
import { RawWsClient } from '../auth/ws-client.ts';
import { roomIdFor } from '../schema/fakes.ts';
import { until } from '../schema/run.ts';
import { createTestApp, type TestApp, type TestAppOptions } from './helpers.ts';

const ROOM = roomIdFor(1);
const DEFAULT_LIMITS = loadConfig({}).limits;

function limits(overrides: Partial<LimitsConfig> = {}): LimitsConfig {
  return { ...DEFAULT_LIMITS, ...overrides };
}

let running: TestApp | null = null;
const clients: RawWsClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await running?.app.stop();
  running = null;
});

function app(options: TestAppOptions): TestApp {
  running = createTestApp(options);
  return running;
}

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };

async function post(test: TestApp, body: Record<string, unknown>): Promise<{ status: number; body: Body }> {
  const response = await test.app.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

function codes(body: Body): unknown[] {
  return (body.errors ?? []).map((error) => error.extensions?.code);
}

async function rejections(test: TestApp, reason: string): Promise<number> {
  const line = (await test.app.metrics.render()).split('\n').find((l) => l.startsWith(`douyin_gateway_graphql_rejections_total{reason="${reason}"}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

const README_FEED = `query ($first: Int!) {
  liveFeed(first: $first) {
    id title isLive viewerCount
    owner { nickname secUid payGrade { level } }
    ranks(first: 10) { rank score user { nickname fansClub { name level } } }
    promotions { title priceFen isExplaining }
  }
}`;
const DEEP = `query ($id: ID!) { liveRoom(roomId: $id) { owner { avatar { url } } } }`; // depth 4
const RANKS = (first: number | string) =>
  `query ($id: ID!${first === '$n' ? ', $n: Int!' : ''}) { liveRoom(roomId: $id) { ranks(first: ${first}) { rank user { nickname } } } }`;

describe('GraphiQL under the default limits', () => {
  it('introspects (GraphiQL\'s full query) and runs both starter tabs', async () => {
    const test = app({ limits: limits(), graphiqlRoomId: ROOM });
    for (const query of [getIntrospectionQuery(), getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true })]) {
      const { status, body } = await post(test, { query });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect((body.data?.__schema as { types: unknown[] }).types.length).toBeGreaterThan(20);
    }
    // The README's showcase: 20 feed rooms, each with owner and top 10 (21 upstream calls).
    const feed = await post(test, { query: README_FEED, variables: { first: 20 } });
    expect(feed.body.errors).toBeUndefined();
    const room = await post(test, { query: ROOM_QUERY_TAB, variables: { roomId: ROOM } });
    expect(room.body.errors).toBeUndefined();
    expect(room.body.data?.liveRoom).toMatchObject({ id: ROOM });
    // The subscription tab passes validation and starts (its events are the realtime tests' business).
    const client = await RawWsClient.open(`${(await test.app.start(0, '127.0.0.1')).url.replace(/^http/, 'ws')}`);
    clients.push(client);
    await client.init({});
    client.send({ type: 'subscribe', id: 'tab', payload: { query: ROOM_EVENTS_TAB, variables: { roomId: ROOM } } });
    await until(() => test.fakes.events.open(ROOM) === 1, 5000, 'the starter subscription to reach the source');
    for (const reason of ['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY', 'TOO_MANY_ALIASES', 'TOO_MANY_TOKENS']) expect(await rejections(test, reason)).toBe(0);
  });
});

describe('refused before execution, with a code and a count', () => {
  it('depth: QUERY_TOO_DEEP, also when yoga answers from its validation cache', async () => {
    const test = app({ limits: limits({ maxQueryDepth: 3 }) });
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const { status, body } = await post(test, { query: DEEP, variables: { id: ROOM } });
      expect(status).toBe(200);
      expect(codes(body)).toEqual(['QUERY_TOO_DEEP']);
      expect(body.errors?.[0]).toMatchObject({ message: 'Query depth limit of 3 exceeded, found 4.', extensions: { limit: 3 } });
      expect(await rejections(test, 'QUERY_TOO_DEEP')).toBe(attempt);
    }
    expect(test.fakes.douyin.total()).toBe(0);
    const shallow = await post(test, { query: `query ($id: ID!) { liveRoom(roomId: $id) { owner { nickname } } }`, variables: { id: ROOM } });
    expect(shallow.body.errors).toBeUndefined();
  });

  it('cost: QUERY_TOO_COSTLY for literal page sizes', async () => {
    const test = app({ limits: limits({ maxQueryCost: 200 }) });
    const { body } = await post(test, { query: RANKS(100), variables: { id: ROOM } });
    expect(codes(body)).toEqual(['QUERY_TOO_COSTLY']);
    expect(body.errors?.[0]?.message).toMatch(/^Query Cost limit of 200 exceeded, found \d+/);
    expect(test.fakes.douyin.total()).toBe(0);
    expect(await rejections(test, 'QUERY_TOO_COSTLY')).toBe(1);
  });

  it('cost: a page size passed as a variable counts too, and a small one passes', async () => {
    const test = app({ limits: limits({ maxQueryCost: 200 }) });
    const costly = await post(test, { query: RANKS('$n'), variables: { id: ROOM, n: 100 } });
    expect(codes(costly.body)).toEqual(['QUERY_TOO_COSTLY']);
    expect(test.fakes.douyin.total()).toBe(0);
    expect(await rejections(test, 'QUERY_TOO_COSTLY')).toBe(1);
    const cheap = await post(test, { query: RANKS('$n'), variables: { id: ROOM, n: 3 } });
    expect(cheap.body.errors).toBeUndefined();
    expect((cheap.body.data?.liveRoom as { ranks: unknown[] }).ranks).toHaveLength(3);
    // The verdict is remembered per document and page size, not per document alone.
    const costlyAgain = await post(test, { query: RANKS('$n'), variables: { id: ROOM, n: 100 } });
    expect(codes(costlyAgain.body)).toEqual(['QUERY_TOO_COSTLY']);
    expect(await rejections(test, 'QUERY_TOO_COSTLY')).toBe(2);
  });

  it('aliases: TOO_MANY_ALIASES', async () => {
    const test = app({ limits: limits({ maxAliases: 2 }) });
    const query = `query ($id: ID!) { a: liveRoom(roomId: $id) { id } b: liveRoom(roomId: $id) { id } c: liveRoom(roomId: $id) { id } }`;
    const { body } = await post(test, { query, variables: { id: ROOM } });
    expect(codes(body)).toEqual(['TOO_MANY_ALIASES']);
    expect(test.fakes.douyin.total()).toBe(0);
    expect(await rejections(test, 'TOO_MANY_ALIASES')).toBe(1);
  });

  it('tokens: TOO_MANY_TOKENS, counted on every attempt (parse failures are not cached)', async () => {
    const test = app({ limits: limits({ maxTokens: 50 }) });
    const query = `{ ${Array.from({ length: 60 }, () => '__typename').join(' ')} }`;
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const { body } = await post(test, { query });
      expect(codes(body)).toEqual(['TOO_MANY_TOKENS']);
      expect(body.errors?.[0]?.message).toBe('Token limit of 50 exceeded.');
      expect(await rejections(test, 'TOO_MANY_TOKENS')).toBe(attempt);
    }
  });

  it('over graphql-ws: an error message for that operation, and the socket stays open', async () => {
    const test = app({ limits: limits({ maxQueryDepth: 2, maxTokens: 40 }) });
    const { url } = await test.app.start(0, '127.0.0.1');
    const client = await RawWsClient.open(url.replace(/^http/, 'ws'));
    clients.push(client);
    await client.init({});
    client.send({ type: 'subscribe', id: 'deep', payload: { query: `subscription { roomEvents(roomId: "${ROOM}") { user { avatar { url } } } }` } });
    const deep = await client.waitForMessage((f) => f.id === 'deep');
    expect(deep.type).toBe('error');
    expect(deep.payload.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['QUERY_TOO_DEEP']);
    client.send({ type: 'subscribe', id: 'long', payload: { query: `{ ${'__typename '.repeat(50)}}` } });
    const long = await client.waitForMessage((f) => f.id === 'long');
    expect(long.payload.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['TOO_MANY_TOKENS']);
    client.send({ type: 'subscribe', id: 'ok', payload: { query: '{ __typename }' } });
    expect(await client.waitForMessage((f) => f.id === 'ok')).toMatchObject({ type: 'next', payload: { data: { __typename: 'Query' } } });
    expect(test.fakes.events.open()).toBe(0);
  });
});

describe('costedDocument', () => {
  const printed = (query: string, variables: Record<string, unknown> = {}) =>
    print(costedDocument(schema, parse(query), variables)).replace(/\s+/g, ' ');

  it('writes the page size each list field will really use: literal, variable, declared default or schema default', () => {
    expect(printed('query ($n: Int!) { liveFeed(first: $n) { id } }', { n: 40 })).toContain('liveFeed(first: 40)');
    expect(printed('query ($n: Int! = 7) { liveFeed(first: $n) { id } }')).toContain('liveFeed(first: 7)');
    // Omitted: the schema's defaults (liveFeed 20, events 20, ranks 10), as the resolvers use them.
    const defaults = printed('{ liveFeed { events { edges { cursor } } ranks { rank } } }');
    expect(defaults).toContain('liveFeed(first: 20)');
    expect(defaults).toContain('events(first: 20)');
    expect(defaults).toContain('ranks(first: 10)');
  });

  it('sizes a list field without a page size by its longest list argument, and keeps the other arguments', () => {
    const ids = Array.from({ length: 100 }, (_, i) => String(i + 1));
    expect(printed('query ($ids: [ID!]!) { liveRooms(ids: $ids) { id } }', { ids })).toContain('liveRooms(first: 100, ids: $ids)');
    expect(printed('{ liveRooms(ids: ["1", "2"]) { id } }')).toContain('liveRooms(first: 2, ids: ["1", "2"])');
    expect(printed(`{ liveRoom(roomId: "${ROOM}") { id } }`)).toContain(`liveRoom(roomId: "${ROOM}")`);
  });
});

describe('sizingVariables', () => {
  it('names the variables in page sizes and in list fields\' arguments, not a room id', () => {
    const query = `query ($id: ID!, $n: Int, $ids: [ID!]!, $m: Int) {
      liveRoom(roomId: $id) { ranks(first: $n) { rank } }
      liveRooms(ids: $ids) { id events(last: $m) { edges { cursor } } }
    }`;
    expect(sizingVariables(schema, parse(query))).toEqual(['ids', 'm', 'n']);
    expect(sizingVariables(schema, parse('query ($id: ID!) { liveRoom(roomId: $id) { id title } }'))).toEqual([]);
  });
});

describe('cost by what will really be returned', () => {
  const aliased = (pageSize: string) =>
    `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: liveFeed { events${pageSize} { edges { cursor node { __typename } } } }`).join(' ')} }`;
  const foundCost = (body: Body) => Number(/found (\d+)/.exec(body.errors?.[0]?.message ?? '')?.[1]);

  it('refuses a query relying on default page sizes exactly as the same query with them written out', async () => {
    const test = app({ limits: limits() });
    const explicit = await post(test, { query: aliased('(first: 20)') });
    const implicit = await post(test, { query: aliased('') });
    expect(codes(explicit.body)).toEqual(['QUERY_TOO_COSTLY']);
    expect(codes(implicit.body)).toEqual(['QUERY_TOO_COSTLY']);
    expect(foundCost(implicit.body)).toBe(foundCost(explicit.body));
    expect(test.fakes.douyin.total()).toBe(0);
  });

  it('costs liveRooms by the number of ids it is given', async () => {
    const test = app({ limits: limits({ maxQueryCost: 500 }) });
    const ids = Array.from({ length: 100 }, () => ROOM);
    const query = 'query ($ids: [ID!]!) { liveRooms(ids: $ids) { id title owner { nickname } } }';
    expect(codes((await post(test, { query, variables: { ids } })).body)).toEqual(['QUERY_TOO_COSTLY']);
    expect(test.fakes.douyin.total()).toBe(0);
    expect((await post(test, { query, variables: { ids: ids.slice(0, 3) } })).body.errors).toBeUndefined();
  });

  it('replaces an answer over MAX_RESPONSE_BYTES by RESPONSE_TOO_LARGE, and sends a small one whole', async () => {
    const test = app({ limits: limits({ maxResponseBytes: 4096 }) });
    const { body } = await post(test, { query: getIntrospectionQuery() });
    expect(body.data ?? null).toBeNull();
    expect(codes(body)).toEqual(['RESPONSE_TOO_LARGE']);
    expect(body.errors?.[0]?.extensions).toMatchObject({ limit: 4096 });
    expect(await rejections(test, 'RESPONSE_TOO_LARGE')).toBe(1);
    const small = await post(test, { query: `{ liveRoom(roomId: "${ROOM}") { id } }` });
    expect(small.body).toEqual({ data: { liveRoom: { id: ROOM } } });
  });
});

describe('persisted operations', () => {
  const ROOM_TITLE = `query Title($id: ID!) { liveRoom(roomId: $id) { title } }`;
  const store = persistedOperationsOf([ROOM_TITLE]);
  const hash = sha256Hex(ROOM_TITLE);

  it('allow: runs a document by its hash (either request form) or as text; an unknown hash is PERSISTED_QUERY_NOT_FOUND', async () => {
    const test = app({ limits: limits({ persistedOperations: 'allow' }), build: { persistedOperations: store } });
    const byExtension = await post(test, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { id: ROOM } });
    expect(byExtension.body).toEqual({ data: { liveRoom: { title: 'room 1' } } });
    const byDocumentId = await post(test, { documentId: `sha256:${hash}`, variables: { id: ROOM } });
    expect(byDocumentId.body).toEqual({ data: { liveRoom: { title: 'room 1' } } });
    const asText = await post(test, { query: `query ($id: ID!) { liveRoom(roomId: $id) { id } }`, variables: { id: ROOM } });
    expect(asText.body.errors).toBeUndefined();
    const unknown = await post(test, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex('{ __typename }') } } });
    expect(codes(unknown.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(await rejections(test, 'PERSISTED_QUERY_NOT_FOUND')).toBe(1);
  });

  it('only: refuses any other document with PERSISTED_QUERY_ONLY before running it, on HTTP and graphql-ws', async () => {
    const test = app({ limits: limits({ persistedOperations: 'only' }), build: { persistedOperations: store } });
    const other = await post(test, { query: `query ($id: ID!) { liveRoom(roomId: $id) { id } }`, variables: { id: ROOM } });
    expect(codes(other.body)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(test.fakes.douyin.total()).toBe(0);
    const knownText = await post(test, { query: ROOM_TITLE, variables: { id: ROOM } });
    expect(knownText.body).toEqual({ data: { liveRoom: { title: 'room 1' } } });

    const { url } = await test.app.start(0, '127.0.0.1');
    const client = await RawWsClient.open(url.replace(/^http/, 'ws'));
    clients.push(client);
    await client.init({});
    client.send({ type: 'subscribe', id: 'free', payload: { query: `subscription { roomEvents(roomId: "${ROOM}") { id } }` } });
    const refused = await client.waitForMessage((f) => f.id === 'free');
    expect(refused.payload.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['PERSISTED_QUERY_ONLY']);
    client.send({ type: 'subscribe', id: 'hash', payload: { query: '', variables: { id: ROOM }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } });
    expect(await client.waitForMessage((f) => f.id === 'hash')).toMatchObject({ type: 'next', payload: { data: { liveRoom: { title: 'room 1' } } } });
    expect(await rejections(test, 'PERSISTED_QUERY_ONLY')).toBe(2);
  });

  it('refuses to build without a store, and a store file whose hash is not its document\'s', () => {
    expect(() => createTestApp({ limits: limits({ persistedOperations: 'only' }) })).toThrow(/PERSISTED_OPERATIONS=only needs/);
    const wrong = JSON.stringify({ [sha256Hex('{ a }')]: '{ b }' });
    expect(() => parsePersistedOperations(wrong, 'ops.json')).toThrow(PersistedOperationsError);
    expect(() => parsePersistedOperations('[]', 'ops.json')).toThrow(/JSON object/);
    expect(() => parsePersistedOperations('{', 'ops.json')).toThrow(/not valid JSON/);
    const upper = parsePersistedOperations(JSON.stringify({ [hash.toUpperCase()]: ROOM_TITLE }), 'ops.json');
    expect(upper.get(hash)).toBe(ROOM_TITLE);
  });
});
