// graphql-ws with the guard on a real socket: a bad token closes with 4403; subscriptions are
// capped per connection and per token, refused with a coded error, and released on complete
// and on close; subscribe messages count against the rate limit.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { TokenBucketRateLimiter } from '../../src/server/auth/rate-limiter.ts';
import { SubscriptionCaps } from '../../src/server/auth/subscription-caps.ts';
import { createGraphqlWsGuard, GuardCloseCode } from '../../src/server/auth/graphql-ws-guard.ts';
import { tokenFixture, type TokenFixture } from '../rest/helpers/tokens.ts';
import { RawWsClient } from './ws-client.ts';

/** An endless stream that emits once and then waits, and ends cleanly when returned. */
function ticks(): AsyncIterableIterator<{ tick: number }> {
  let sent = false;
  let wake: ((result: IteratorResult<{ tick: number }>) => void) | null = null;
  return {
    next: () => {
      if (!sent) {
        sent = true;
        return Promise.resolve({ done: false, value: { tick: 1 } });
      }
      return new Promise((resolve) => (wake = resolve));
    },
    return: () => {
      wake?.({ done: true, value: undefined });
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const schema = createSchema({
  typeDefs: 'type Query { ok: Boolean } type Subscription { tick: Int }',
  resolvers: { Subscription: { tick: { subscribe: () => ticks() } } },
});

let tokens: TokenFixture;
let server: Server;
let wss: WebSocketServer;
let url: string;
let caps: SubscriptionCaps;
const clients: RawWsClient[] = [];

async function start(limits: { perConnection: number; perToken: number; perMinute?: number }) {
  caps = new SubscriptionCaps(limits);
  const guard = createGraphqlWsGuard({
    auth: tokens.auth,
    caps,
    rateLimiter: new TokenBucketRateLimiter({ perMinute: limits.perMinute ?? 1000, now: () => 0 }),
  });
  server = createServer();
  wss = new WebSocketServer({ server, path: '/graphql' });
  useServer(
    {
      schema,
      onConnect: (ctx) => guard.onConnect(ctx),
      onSubscribe: (ctx, id) => guard.onSubscribe(ctx, id),
      onComplete: (ctx, id) => guard.onComplete(ctx, id),
      onError: (ctx, id) => guard.onError(ctx, id),
      onClose: (ctx) => guard.onClose(ctx),
    },
    wss,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

async function connect(token: string | null): Promise<RawWsClient> {
  const client = await RawWsClient.open(url);
  clients.push(client);
  await client.init(token === null ? {} : { token });
  return client;
}

async function subscribeOk(client: RawWsClient, id: string) {
  client.subscribe(id, 'subscription { tick }');
  const frame = await client.waitForMessage((f) => f.id === id && (f.type === 'next' || f.type === 'error'));
  expect(frame).toMatchObject({ type: 'next', payload: { data: { tick: 1 } } });
}

async function subscribeRefused(client: RawWsClient, id: string): Promise<{ code: string; message: string }> {
  client.subscribe(id, 'subscription { tick }');
  const frame = await client.waitForMessage((f) => f.id === id && (f.type === 'next' || f.type === 'error'));
  expect(frame.type).toBe('error');
  return { code: frame.payload[0].extensions.code, message: frame.payload[0].message };
}

beforeEach(() => {
  tokens = tokenFixture();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const socket of wss?.clients ?? []) socket.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  tokens.cleanup();
});

describe('connection', () => {
  it.each([
    ['no token', null],
    ['a bad token', 'dlg_nope'],
    ['a revoked token', 'REVOKED'],
  ])('closes with 4403 on %s', async (_name, token) => {
    await start({ perConnection: 5, perToken: 5 });
    const client = await RawWsClient.open(url);
    clients.push(client);
    client.send({ type: 'connection_init', payload: token === null ? {} : { token: token === 'REVOKED' ? tokens.revoked : token } });
    expect((await client.waitForClose()).code).toBe(GuardCloseCode.Forbidden);
  });

  it('acknowledges a good token in connectionParams.token', async () => {
    await start({ perConnection: 5, perToken: 5 });
    const client = await connect(tokens.good);
    await subscribeOk(client, 's1');
  });
});

describe('subscription caps', () => {
  it('caps one connection and frees the slot when a subscription completes', async () => {
    await start({ perConnection: 2, perToken: 10 });
    const client = await connect(tokens.good);
    await subscribeOk(client, 'a');
    await subscribeOk(client, 'b');
    const refused = await subscribeRefused(client, 'c');
    expect(refused.code).toBe('SUBSCRIPTION_LIMIT');
    expect(refused.message).toContain('this connection');
    client.complete('a');
    await vi.waitFor(() => expect(caps.tokenCount(`token:${tokens.good.split('_')[1]}`)).toBe(1));
    await subscribeOk(client, 'd');
  });

  it('caps one token across connections and frees its slots when a connection closes', async () => {
    await start({ perConnection: 10, perToken: 2 });
    const first = await connect(tokens.good);
    await subscribeOk(first, 'a');
    await subscribeOk(first, 'b');
    const second = await connect(tokens.good);
    expect((await subscribeRefused(second, 'c')).code).toBe('SUBSCRIPTION_LIMIT');
    // Another token is not affected.
    await subscribeOk(await connect(tokens.other), 'x');
    first.close();
    await vi.waitFor(() => expect(caps.tokenCount(`token:${tokens.good.split('_')[1]}`)).toBe(0));
    await subscribeOk(second, 'd');
  });

  it('does not hold a slot for a subscription the server refused (invalid query)', async () => {
    await start({ perConnection: 1, perToken: 1 });
    const client = await connect(tokens.good);
    client.subscribe('bad', 'subscription { nope }');
    const error = await client.waitForMessage((f) => f.id === 'bad');
    expect(error.type).toBe('error');
    await vi.waitFor(() => expect(caps.tokenCount(`token:${tokens.good.split('_')[1]}`)).toBe(0));
    await subscribeOk(client, 'good');
  });
});

describe('rate limit', () => {
  it('refuses subscribe messages beyond the token\'s rate with RATE_LIMITED', async () => {
    await start({ perConnection: 10, perToken: 10, perMinute: 1 });
    const client = await connect(tokens.good);
    await subscribeOk(client, 'a');
    expect((await subscribeRefused(client, 'b')).code).toBe('RATE_LIMITED');
  });
});

describe('the guard without a socket', () => {
  // A socket's caps are held inline for one operation and in a Map past that: each release
  // must still free exactly its own slot, whatever the order.
  it('releases each operation\'s slot once, by id, on complete, on error and on close', async () => {
    const slots = new SubscriptionCaps({ perConnection: 10, perToken: 10 });
    const guard = createGraphqlWsGuard({
      auth: { open: true, authenticate: () => ({ ok: true, tokenId: null, name: null, scopes: [] }), isActive: () => true } as never,
      caps: slots,
      rateLimiter: new TokenBucketRateLimiter({ perMinute: 1000, now: () => 0 }),
    });
    const ctx = { connectionParams: {}, extra: {} };
    const other = { connectionParams: {}, extra: {} };
    expect(guard.onConnect(ctx)).toBe(true);
    expect(guard.onConnect(other)).toBe(true);
    expect(await guard.onSubscribe(ctx, 'a')).toBeUndefined();
    expect(slots.connectionCount(ctx)).toBe(1);
    guard.onComplete(ctx, 'b');
    expect(slots.connectionCount(ctx)).toBe(1);
    guard.onComplete(ctx, 'a');
    guard.onComplete(ctx, 'a');
    expect(slots.connectionCount(ctx)).toBe(0);

    for (const id of ['a', 'b', 'c']) expect(await guard.onSubscribe(ctx, id)).toBeUndefined();
    expect(await guard.onSubscribe(other, 'a')).toBeUndefined();
    // The same id again replaces its slot rather than holding two.
    expect(await guard.onSubscribe(ctx, 'b')).toBeUndefined();
    expect(slots.connectionCount(ctx)).toBe(3);
    guard.onError(ctx, 'b');
    expect(slots.connectionCount(ctx)).toBe(2);
    guard.onClose(ctx);
    expect(slots.connectionCount(ctx)).toBe(0);
    expect(slots.connectionCount(other)).toBe(1);
    expect(await guard.onSubscribe(other, 'a')).toBeUndefined();
    expect(slots.connectionCount(other)).toBe(1);
    guard.onClose(other);
    expect(slots.connectionCount(other)).toBe(0);
  });
});
