import { afterEach, describe, expect, it } from 'vitest';
import { rateLimited, roomNotFound } from '../../src/collectors/errors.ts';
import { parse, validate } from 'graphql';
import { schema } from '../../src/schema/index.ts';
import { ROOM_EVENTS_TAB, ROOM_QUERY_TAB } from '../../src/server/graphiql.ts';
import { roomIdFor } from '../schema/fakes.ts';
import { createTestApp, postGraphQL, type TestApp } from './helpers.ts';

let current: TestApp | null = null;
function appUnderTest(options?: Parameters<typeof createTestApp>[0]): TestApp {
  current = createTestApp(options);
  return current;
}
afterEach(async () => {
  await current?.app.stop();
  current = null;
});

const ROOM_QUERY = `query ($id: ID!) { liveRoom(roomId: $id) { id title isLive owner { nickname } } }`;

describe('queries over HTTP', () => {
  it('answers a room query', async () => {
    const { app } = appUnderTest();
    const { status, body } = await postGraphQL(app, ROOM_QUERY, { id: roomIdFor(2) });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { liveRoom: { id: roomIdFor(2), title: 'room 2', isLive: true, owner: { nickname: 'user 7002' } } } });
  });

  it('codes a malformed id BAD_USER_INPUT and calls nothing upstream', async () => {
    const { app, fakes } = appUnderTest();
    const { body } = await postGraphQL(app, ROOM_QUERY, { id: '12ab' });
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(fakes.douyin.total()).toBe(0);
  });

  it('codes an unknown room ROOM_NOT_FOUND and a throttled upstream RATE_LIMITED with its wait', async () => {
    const { app, fakes } = appUnderTest();
    fakes.douyin.failures.set('roomByRoomId', (id) => (id === roomIdFor(1) ? roomNotFound(String(id)) : rateLimited(3000)));
    const missing = await postGraphQL(app, ROOM_QUERY, { id: roomIdFor(1) });
    expect(missing.body.errors?.[0]?.extensions).toEqual({ code: 'ROOM_NOT_FOUND' });
    const throttled = await postGraphQL(app, ROOM_QUERY, { id: roomIdFor(2) });
    expect(throttled.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterMs: 3000 });
  });

  it('masks an unexpected failure, logging it instead', async () => {
    const { app, fakes, logs } = appUnderTest();
    fakes.douyin.failures.set('rankList', () => new Error('secret internal detail'));
    const { body } = await postGraphQL(app, `query ($id: ID!) { liveRoom(roomId: $id) { title ranks { rank } } }`, { id: roomIdFor(1) });
    expect(body.data).toEqual({ liveRoom: { title: 'room 1', ranks: null } });
    expect(body.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
    expect(JSON.stringify(body)).not.toContain('secret internal detail');
    expect(logs.raw.some((line) => line.includes('secret internal detail'))).toBe(true);
  });

  it('keeps GraphQL validation errors readable', async () => {
    const { app } = appUnderTest();
    const { status, body } = await postGraphQL(app, `{ liveRoom(roomId: "1") { nope } }`);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toContain('nope');
  });
});

describe('operational endpoints', () => {
  it('/health answers while the process is up, whatever the dependencies say', async () => {
    const { app, readiness } = appUnderTest();
    readiness.checks = [{ name: 'store', ok: false, detail: 'down' }];
    const response = await app.yoga.fetch('http://gateway.test/health');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    // Yoga's own check answers it: there is one health route, not ours beside /yoga-health.
    expect(response.headers.has('x-yoga-id')).toBe(true);
    expect((await app.yoga.fetch('http://gateway.test/yoga-health')).status).toBe(404);
  });

  it('/ready reports each check: 200 when all pass, 503 listing the failure otherwise', async () => {
    const { app, readiness } = appUnderTest();
    const ok = await app.yoga.fetch('http://gateway.test/ready');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ready', checks: [{ name: 'upstream', ok: true, detail: 'fake' }] });

    readiness.checks = [
      { name: 'upstream', ok: true },
      { name: 'store', ok: false, detail: 'connection refused' },
    ];
    const failing = await app.yoga.fetch('http://gateway.test/ready');
    expect(failing.status).toBe(503);
    expect(await failing.json()).toMatchObject({ status: 'not ready', checks: [{ ok: true }, { name: 'store', ok: false }] });
  });

  it('/ready turns a failing readiness probe into a 503 naming it', async () => {
    const { app, readiness } = appUnderTest();
    Object.defineProperty(readiness, 'checks', {
      get: () => {
        throw new Error('probe crashed');
      },
    });
    const response = await app.yoga.fetch('http://gateway.test/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not ready', checks: [{ name: 'readiness', ok: false, detail: 'probe crashed' }] });
  });

  it('/metrics is Prometheus text with the gateway\'s series, including errors by code', async () => {
    const { app } = appUnderTest();
    await postGraphQL(app, ROOM_QUERY, { id: 'bad' });
    app.metrics.frames.inc({ kind: 'msg' }, 3);
    app.metrics.upstreamLatency.observe({ endpoint: 'web/enter' }, 0.2);

    const response = await app.yoga.fetch('http://gateway.test/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('douyin_gateway_push_frames_total{kind="msg"} 3');
    expect(text).toContain('douyin_gateway_graphql_errors_total{code="BAD_USER_INPUT"} 1');
    expect(text).toContain('douyin_gateway_upstream_latency_seconds_bucket{le="0.25",endpoint="web/enter"} 1');
    for (const name of ['decode_errors_total', 'unknown_methods_total', 'push_reconnects_total', 'dedup_hits_total', 'upstream_calls_total', 'subscribers', 'event_lag_seconds']) {
      expect(text).toContain(`# TYPE douyin_gateway_${name} `);
    }
  });

  it('/ redirects to GraphiQL', async () => {
    const { app } = appUnderTest();
    const response = await app.yoga.fetch('http://gateway.test/', { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphql');
  });
});

describe('GraphiQL', () => {
  it('is served inline with no external script or stylesheet, set up for WebSocket subscriptions on the given room', async () => {
    const { app } = appUnderTest({ graphiqlRoomId: roomIdFor(3) });
    const response = await app.yoga.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
    expect(html).toContain(roomIdFor(3));
    expect(html).toContain('roomEvents');
    expect(html).toMatch(/"subscriptionsProtocol":"WS"/);
  });

  it('starter tabs are valid operations, and the room tab answers', async () => {
    expect(validate(schema, parse(ROOM_QUERY_TAB))).toEqual([]);
    expect(validate(schema, parse(ROOM_EVENTS_TAB))).toEqual([]);
    const { app } = appUnderTest();
    const { body } = await postGraphQL(app, ROOM_QUERY_TAB, { roomId: roomIdFor(1) });
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ liveRoom: { id: roomIdFor(1), isLive: true, ranks: [{ rank: 1 }, { rank: 2 }, { rank: 3 }, { rank: 4 }, { rank: 5 }] } });
  });
});
