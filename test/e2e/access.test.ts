// issue 7 proof, access control: with API_TOKENS_FILE set, every door refuses a missing, bad or
// revoked token (vendor ?token and Access-Token, GraphQL Bearer over HTTP and SSE, graphql-ws
// connectionParams.token → close 4403) and admits a good one; a token revoked with the CLI's
// own code is refused by the running gateway; rate limits answer 429 with Retry-After; caps
// refuse extra subscriptions; CORS follows the allow-list; no log line holds a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawWsClient } from '../auth/ws-client.ts';
import { tokenFile, vendorCall, type TokenFile } from './helpers/vendor.ts';
import { startStack, until, type Stack } from './stack.ts';

const ROOM_QUERY = 'query ($id: ID!) { liveRoom(roomId: $id) { id title } }';
const ROOM_EVENTS = 'subscription ($id: ID!) { roomEvents(roomId: $id, types: [CHAT]) { id ... on ChatEvent { content } } }';
const ALLOWED_ORIGIN = 'https://app.example.com';

type Door = (token: string | null) => Promise<{ status: number; code: string | null }>;

function bearer(token: string | null): Record<string, string> {
  return token === null ? {} : { Authorization: `Bearer ${token}` };
}

describe('access control with API tokens', () => {
  let stack: Stack;
  let tokens: TokenFile;
  let good: string;
  let revoked: string;
  let doomed: string;
  let streaming: string;
  let base: string;
  let roomId: string;
  const secrets: string[] = [];
  const sockets: RawWsClient[] = [];

  beforeAll(async () => {
    tokens = tokenFile();
    good = tokens.add('good');
    revoked = tokens.add('revoked');
    doomed = tokens.add('doomed');
    streaming = tokens.add('streaming');
    tokens.revoke(revoked);
    secrets.push(good, revoked, doomed, streaming);
    stack = await startStack({ env: { API_TOKENS_FILE: tokens.file, CORS_ORIGINS: ALLOWED_ORIGIN } });
    base = new URL(stack.url).origin;
    roomId = stack.sim.liveRooms()[0]!.id;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await stack?.close();
    tokens?.cleanup();
  });

  const unknown = 'dlg_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  // Cases are listed before the token file exists: the revoked token is looked up when run.
  const cases: [string, () => string | null, string][] = [
    ['no token', () => null, 'MISSING_TOKEN'],
    ['a malformed token', () => 'not-a-token', 'BAD_TOKEN'],
    ['an unknown token', () => unknown, 'BAD_TOKEN'],
    ['a revoked token', () => revoked, 'REVOKED_TOKEN'],
  ];

  const doors: Record<string, Door> = {
    'vendor GET ?token': async (token) => {
      const query = new URLSearchParams({ room_id: roomId, ...(token === null ? {} : { token }) });
      const response = await vendorCall(`${base}/douyin/liveroom/info?${query.toString()}`);
      if (response.status !== 200) expect(response.body).toMatchObject({ code: -1, data: null });
      return { status: response.status, code: response.headers.get('x-error-code') };
    },
    // The name percent-encoded: the server decodes it to `token`, so the access log must mask it too.
    'vendor GET ?%74oken': async (token) => {
      const query = new URLSearchParams({ room_id: roomId });
      const encoded = token === null ? '' : `&%74oken=${encodeURIComponent(token)}`;
      const response = await vendorCall(`${base}/douyin/liveroom/info?${query.toString()}${encoded}`);
      return { status: response.status, code: response.headers.get('x-error-code') };
    },
    'vendor POST Access-Token': async (token) => {
      const form = new FormData();
      form.set('wcid', 'w');
      form.set('room_id', roomId);
      const response = await vendorCall(`${base}/dy/live/get_room_ranklist`, {
        method: 'POST',
        headers: token === null ? {} : { 'Access-Token': token },
        body: form,
      });
      return { status: response.status, code: response.headers.get('x-error-code') };
    },
    'GraphQL over HTTP, Bearer': async (token) => {
      const response = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ query: ROOM_QUERY, variables: { id: roomId } }),
      });
      const body = (await response.json()) as { data?: { liveRoom: { id: string } }; errors?: { extensions: { code: string } }[] };
      if (response.status === 200) expect(body.data?.liveRoom.id).toBe(roomId);
      return { status: response.status, code: body.errors?.[0]?.extensions.code ?? null };
    },
    'GraphQL over SSE, Bearer': async (token) => {
      const controller = new AbortController();
      const response = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(token) },
        body: JSON.stringify({ query: ROOM_EVENTS, variables: { id: roomId } }),
        signal: controller.signal,
      });
      if (response.status === 200) {
        expect(response.headers.get('content-type')).toContain('text/event-stream');
        controller.abort();
        return { status: 200, code: null };
      }
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      return { status: response.status, code: body.errors[0]?.extensions.code ?? null };
    },
  };

  for (const [door, call] of Object.entries(doors)) {
    describe(door, () => {
      it.each(cases)('refuses %s with 401 and its code', async (_name, token, code) => {
        const before = stack.sim.requests({ kind: 'http' }).length;
        expect(await call(token())).toEqual({ status: 401, code });
        expect(stack.sim.requests({ kind: 'http' }).length).toBe(before);
      });

      it('admits a good token', async () => {
        expect((await call(good)).status).toBe(200);
      });
    });
  }

  describe('graphql-ws, connectionParams.token', () => {
    async function connect(params: Record<string, unknown>): Promise<RawWsClient> {
      const client = await RawWsClient.open(stack.wsUrl);
      sockets.push(client);
      client.send({ type: 'connection_init', payload: params });
      return client;
    }

    it.each(cases)('closes with 4403 on %s', async (_name, tokenOf) => {
      const token = tokenOf();
      const client = await connect(token === null ? {} : { token });
      expect((await client.waitForClose()).code).toBe(4403);
    });

    it('admits a good token and delivers the room\'s events', async () => {
      const client = await connect({ token: good });
      await client.waitForMessage((frame) => frame.type === 'connection_ack');
      // A room no other test subscribes to, so its subscriber count is this subscription's.
      const room = stack.sim.liveRooms()[1]!;
      client.send({ type: 'subscribe', id: 'chats', payload: { query: ROOM_EVENTS, variables: { id: room.id } } });
      const gauge = `douyin_gateway_subscribers{room_id="${room.id}"} 1`;
      let registered = false;
      const deadline = Date.now() + 10_000;
      while (!registered && Date.now() < deadline) {
        // Rendering metrics resolves without I/O: yield so the server reads the socket.
        await new Promise((resolve) => setImmediate(resolve));
        registered = (await stack.metrics.render()).includes(gauge);
      }
      expect(registered).toBe(true);
      await until(() => stack.gateway.supervisor.connectionState(room.id) === 'LIVE', 'the room to be collected');
      await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
      const [chat] = room.emit(1, { kinds: ['chat'] });
      const frame = await client.waitForMessage((f) => f.id === 'chats' && f.type === 'next');
      expect(frame.payload.data.roomEvents).toEqual({ id: chat!.msgId, content: chat!.text });
    });
  });

  it('refuses a token on every door once `npm run tokens -- revoke` has revoked it, without a restart', async () => {
    expect((await doors['vendor GET ?token']!(doomed)).status).toBe(200);
    tokens.revoke(doomed);
    // The gateway re-reads the file when it changes (checked at most once a second).
    const deadline = Date.now() + 10_000;
    let result = await doors['vendor GET ?token']!(doomed);
    while (result.status === 200 && Date.now() < deadline) result = await doors['vendor GET ?token']!(doomed);
    expect(result).toEqual({ status: 401, code: 'REVOKED_TOKEN' });
    expect(await doors['GraphQL over HTTP, Bearer']!(doomed)).toEqual({ status: 401, code: 'REVOKED_TOKEN' });
    const client = await RawWsClient.open(stack.wsUrl);
    sockets.push(client);
    client.send({ type: 'connection_init', payload: { token: doomed } });
    expect((await client.waitForClose()).code).toBe(4403);
  });

  it('ends what a revoked token opened: its graphql-ws socket closes with 4403 and its SSE stream ends with REVOKED_TOKEN', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const client = await RawWsClient.open(stack.wsUrl);
    sockets.push(client);
    await client.init({ token: streaming });
    client.send({ type: 'subscribe', id: 'live', payload: { query: ROOM_EVENTS, variables: { id: room.id } } });
    const sse = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(streaming) },
      body: JSON.stringify({ query: ROOM_EVENTS, variables: { id: room.id } }),
    });
    expect(sse.status).toBe(200);
    await until(() => stack.gateway.supervisor.connectionState(room.id) === 'LIVE', 'the room to be collected');
    tokens.revoke(streaming);
    // The socket is closed by the gateway, not by this client; the stream ends on its own (text() resolves).
    expect(await client.waitForClose()).toMatchObject({ code: 4403 });
    const text = await sse.text();
    expect(text).toContain('"code":"REVOKED_TOKEN"');
  });

  it('sends CORS headers to allowed origins only, on GraphQL and vendor routes alike', async () => {
    for (const path of ['/graphql', '/douyin/liveroom/info']) {
      const allowed = await fetch(`${base}${path}`, {
        method: 'OPTIONS',
        headers: { Origin: ALLOWED_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
      });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(allowed.headers.get('access-control-allow-credentials')).not.toBe('true');
      // yoga names the one allowed origin whoever asks; a browser on another origin is refused.
      const foreign = await fetch(`${base}${path}`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
      });
      expect(foreign.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
      expect(foreign.headers.get('access-control-allow-origin')).not.toBe('*');
    }
    const actual = await fetch(`${base}/douyin/liveroom/info?${new URLSearchParams({ token: good, room_id: roomId })}`, { headers: { Origin: ALLOWED_ORIGIN } });
    expect(actual.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(actual.headers.get('access-control-expose-headers')).toContain('Retry-After');
  });

  it('serves GraphiQL\'s page, health and readiness without a token', async () => {
    expect((await fetch(stack.url, { headers: { accept: 'text/html' } })).status).toBe(200);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  it('logs every request without a token or cookie in any line', async () => {
    await until(() => stack.logs.lines.some((line) => line.msg === 'request' && String(line.url).startsWith('/douyin/')), 'access log lines');
    const vendorLines = stack.logs.lines.filter((line) => line.msg === 'request' && String(line.url).includes('token='));
    expect(vendorLines.length).toBeGreaterThan(0);
    for (const line of vendorLines) expect(line.url).toMatch(/token=(dlg_[0-9a-f]{12}_)?\[redacted\]|token=\[redacted\]/);
    const encodedLines = stack.logs.lines.filter((line) => line.msg === 'request' && String(line.url).includes('%74oken='));
    expect(encodedLines.length).toBeGreaterThan(0);
    for (const line of encodedLines) expect(line.url).toMatch(/%74oken=\[redacted\]/);
    const text = stack.logs.raw.join('\n');
    // dlg_<12 hex id>_<43-character secret>: the id may be logged, the secret never.
    for (const secret of secrets) expect(text).not.toContain(secret.slice('dlg_0123456789ab_'.length));
    expect(text.toLowerCase()).not.toContain('bearer dlg_');
  });
});

describe('rate limits and subscription caps', () => {
  let stack: Stack;
  let tokens: TokenFile;
  let base: string;
  let roomId: string;
  const sockets: RawWsClient[] = [];
  // One token per test, each with its own budget; created before the gateway reads the file.
  const budget: Record<'vendor' | 'otherVendor' | 'graphql' | 'wsRate' | 'wsCaps', string> = {
    vendor: '',
    otherVendor: '',
    graphql: '',
    wsRate: '',
    wsCaps: '',
  };

  beforeAll(async () => {
    tokens = tokenFile();
    for (const name of Object.keys(budget) as (keyof typeof budget)[]) budget[name] = tokens.add(name);
    stack = await startStack({
      env: { API_TOKENS_FILE: tokens.file, RATE_LIMIT_PER_MIN: '3', MAX_SUBSCRIPTIONS_PER_CONNECTION: '1', MAX_SUBSCRIPTIONS_PER_TOKEN: '1' },
    });
    base = new URL(stack.url).origin;
    roomId = stack.sim.liveRooms()[0]!.id;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await stack?.close();
    tokens?.cleanup();
  });

  it('vendor routes: 429 with Retry-After once a token has spent its minute, while other tokens go on', async () => {
    const token = budget.vendor;
    const call = () => vendorCall(`${base}/douyin/liveroom/status?${new URLSearchParams({ token, room_id: roomId })}`);
    for (let i = 0; i < 3; i += 1) expect((await call()).status).toBe(200);
    const before = stack.sim.requests({ kind: 'http' }).length;
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-error-code')).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toMatchObject({ code: -1, data: null });
    expect(stack.sim.requests({ kind: 'http' }).length).toBe(before);
    const other = budget.otherVendor;
    expect((await vendorCall(`${base}/douyin/liveroom/status?${new URLSearchParams({ token: other, room_id: roomId })}`)).status).toBe(200);
  });

  it('GraphQL over HTTP: 429 RATE_LIMITED with Retry-After, one budget shared with the other doors', async () => {
    const token = budget.graphql;
    const post = () =>
      fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect((await post()).status).toBe(200);
    expect((await vendorCall(`${base}/douyin/liveroom/feed?token=${token}`)).status).toBe(200);
    expect((await post()).status).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('RATE_LIMITED');
  });

  it('graphql-ws: subscribe messages spend the same budget and are refused with RATE_LIMITED', async () => {
    const token = budget.wsRate;
    const client = await RawWsClient.open(stack.wsUrl);
    sockets.push(client);
    await client.init({ token });
    for (const id of ['a', 'b', 'c']) {
      client.send({ type: 'subscribe', id, payload: { query: '{ __typename }' } });
      expect((await client.waitForMessage((f) => f.id === id)).type).toBe('next');
    }
    client.send({ type: 'subscribe', id: 'd', payload: { query: '{ __typename }' } });
    const refused = await client.waitForMessage((f) => f.id === 'd');
    expect(refused.type).toBe('error');
    expect(refused.payload[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
  });

  it('graphql-ws: caps subscriptions per connection and per token with SUBSCRIPTION_LIMIT, freeing slots on complete', async () => {
    const token = budget.wsCaps;
    const first = await RawWsClient.open(stack.wsUrl);
    const second = await RawWsClient.open(stack.wsUrl);
    sockets.push(first, second);
    await first.init({ token });
    await second.init({ token });
    const subscribe = (client: RawWsClient, id: string) =>
      client.send({ type: 'subscribe', id, payload: { query: ROOM_EVENTS, variables: { id: roomId } } });
    subscribe(first, 'held');
    await until(() => stack.app.access.caps.tokenCount(`token:${token.split('_')[1]}`) === 1, 'the first subscription to hold its slot');
    subscribe(first, 'same socket');
    const perConnection = await first.waitForMessage((f) => f.id === 'same socket');
    expect(perConnection.payload[0].extensions).toMatchObject({ code: 'SUBSCRIPTION_LIMIT', scope: 'CONNECTION_LIMIT', limit: 1 });
    subscribe(second, 'other socket');
    const perToken = await second.waitForMessage((f) => f.id === 'other socket');
    expect(perToken.payload[0].extensions).toMatchObject({ code: 'SUBSCRIPTION_LIMIT', scope: 'TOKEN_LIMIT', limit: 1 });
    first.complete('held');
    await until(() => stack.app.access.caps.tokenCount(`token:${token.split('_')[1]}`) === 0, 'the slot to be freed');
  });
});
