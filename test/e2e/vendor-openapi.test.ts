// issue 13: /douyin/openapi.json describes every vendor route, and the gateway's real answers
// (the whole gateway over the built-in simulator, over HTTP, with a real token file) validate
// against it: successes and failures, bodies and headers. A route the gateway serves that the
// document lacks (or the reverse) fails the test.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDOR_ROUTES } from '../../src/server/rest/handler.ts';
import { OPENAPI_PATH, VENDOR_OPENAPI } from '../../src/server/rest/openapi.ts';
import type { SimRoom } from '../../src/simulator/index.ts';
import { openApiChecker, type Answer, type OpenApiChecker } from '../rest/helpers/openapi-check.ts';
import { tokenFile, type TokenFile } from './helpers/vendor.ts';
import { startStack, until, type Stack } from './stack.ts';

let stack: Stack;
let tokens: TokenFile;
let token: string;
let revoked: string;
let base: string;
let checker: OpenApiChecker;
let goods: SimRoom;
/** Every answer checked, for the coverage assertions at the end. */
const answered: Answer[] = [];

beforeAll(async () => {
  tokens = tokenFile();
  token = tokens.add('openapi client');
  revoked = tokens.add('revoked client');
  tokens.revoke(revoked);
  stack = await startStack({ env: { API_TOKENS_FILE: tokens.file } });
  base = new URL(stack.url).origin;
  checker = openApiChecker(VENDOR_OPENAPI);
  goods = stack.sim.createRoom({ goods: true });
  // Rank lists are built from the gifts sent: send some so the ranks have entries to validate.
  goods.emit(40, { kinds: ['gift'] });
});

afterAll(async () => {
  await stack?.close();
  tokens?.cleanup();
});

/** Calls the gateway and checks the answer against the document; returns the answer. */
async function call(path: string, init: RequestInit & { query?: Record<string, string>; auth?: boolean } = {}): Promise<Answer> {
  const { query = {}, auth = true, ...rest } = init;
  const params = new URLSearchParams({ ...(auth ? { token } : {}), ...query });
  const url = `${base}${path}${params.size === 0 ? '' : `?${params.toString()}`}`;
  const response = await fetch(url, rest);
  const answer: Answer = { method: rest.method ?? 'GET', path, status: response.status, headers: response.headers, text: await response.text() };
  answered.push(answer);
  return answer;
}

function expectDocumented(answer: Answer, status: number): void {
  expect(answer.status, answer.text.slice(0, 300)).toBe(status);
  expect(checker.problems(answer)).toEqual([]);
}

describe('the OpenAPI document', () => {
  it('is served at /douyin/openapi.json without a token, and is the document the gateway was built with', async () => {
    const answer = await call(OPENAPI_PATH, { auth: false });
    expectDocumented(answer, 200);
    expect(JSON.parse(answer.text)).toEqual(VENDOR_OPENAPI);
    expectDocumented(await call(OPENAPI_PATH, { method: 'POST', auth: false }), 405);
  });

  it('is a valid OpenAPI 3.1 document (the specification\'s own JSON schema)', async () => {
    const result = await new Validator().validate(structuredClone(VENDOR_OPENAPI) as never);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents exactly the routes the gateway serves, with their methods', () => {
    const served = [...VENDOR_ROUTES].map(([path, route]) => `${route.method} ${path}`);
    expect(checker.operations().sort()).toEqual([...served, `GET ${OPENAPI_PATH}`].sort());
  });

  it('is strict enough to catch a wrong answer (the checker is not vacuous)', () => {
    const headers = new Headers({ 'content-type': 'application/json; charset=utf-8' });
    const room = { code: 200, msg: 'success', data: { data: { id: 1, title: 'no id_str, no stats' }, extra: { now: 1 }, status_code: 0 } };
    const wrong = checker.problems({ method: 'GET', path: '/douyin/liveroom/info', status: 200, headers, text: JSON.stringify(room) });
    expect(wrong.join('\n')).toMatch(/id_str/);
    expect(checker.problems({ method: 'GET', path: '/douyin/liveroom/info', status: 418, headers, text: '{}' })).toHaveLength(1);
    expect(checker.problems({ method: 'GET', path: '/douyin/liveroom/nope', status: 200, headers, text: '{}' })).toHaveLength(1);
    const noCode = checker.problems({ method: 'GET', path: '/douyin/liveroom/info', status: 400, headers, text: '{"code":-1,"msg":"x","data":null}' });
    expect(noCode.join('\n')).toMatch(/X-Error-Code is missing/);
    const error = '{"code":-1,"msg":"x","data":null}';
    const wrongAllow = new Headers({ 'content-type': 'application/json', 'x-error-code': 'METHOD_NOT_ALLOWED', allow: 'POST' });
    expect(checker.problems({ method: 'DELETE', path: '/douyin/liveroom/info', status: 405, headers: wrongAllow, text: error }).join('\n')).toMatch(/Allow is POST/);
    const badRetry = new Headers({ 'content-type': 'application/json', 'x-error-code': 'TOO_MANY_REQUESTS', 'retry-after': 'soon' });
    expect(checker.problems({ method: 'GET', path: '/douyin/liveroom/feed', status: 429, headers: badRetry, text: error }).join('\n')).toMatch(/Retry-After/);
  });
});

describe('every route\'s real answers validate against the document', () => {
  it('GET /douyin/liveroom/info by room_id and by web_rid', async () => {
    const room = stack.sim.liveRooms()[0]!;
    expectDocumented(await call('/douyin/liveroom/info', { query: { room_id: room.id } }), 200);
    expectDocumented(await call('/douyin/liveroom/info', { query: { room_id: room.webRid } }), 200);
    // An ended room: the document's required keys are still there.
    const ended = stack.sim.liveRooms()[2]!;
    stack.sim.endRoom(ended.id);
    expectDocumented(await call('/douyin/liveroom/info', { query: { room_id: ended.id } }), 200);
  });

  it('GET /douyin/liveroom/status, with a live and an ended room', async () => {
    const [live, ended] = [stack.sim.liveRooms()[0]!, stack.sim.rooms().find((room) => !room.isLive) ?? stack.sim.liveRooms()[1]!];
    const answer = await call('/douyin/liveroom/status', { query: { room_id: `${live.id},${ended.id}` } });
    expectDocumented(answer, 200);
    expect(JSON.parse(answer.text).data.data).toHaveLength(2);
  });

  it('GET /douyin/liveroom/promotions, with and without author_id', async () => {
    const answer = await call('/douyin/liveroom/promotions', { query: { room_id: goods.id } });
    expectDocumented(answer, 200);
    expect(JSON.parse(answer.text).data.promotions.length).toBeGreaterThan(0);
    expectDocumented(await call('/douyin/liveroom/promotions', { query: { room_id: goods.id, author_id: goods.model.anchor.id } }), 200);
  });

  it('GET /douyin/liveroom/audience and /ranklist (with anchor_id)', async () => {
    const audience = await call('/douyin/liveroom/audience', { query: { room_id: goods.id } });
    expectDocumented(audience, 200);
    expect(JSON.parse(audience.text).data.data.ranks.length).toBeGreaterThan(0);
    expectDocumented(await call('/douyin/liveroom/ranklist', { query: { room_id: goods.id, anchor_id: goods.model.anchor.id } }), 200);
  });

  it('GET /douyin/liveroom/feed', async () => {
    const answer = await call('/douyin/liveroom/feed');
    expectDocumented(answer, 200);
    expect(JSON.parse(answer.text).data.data.length).toBeGreaterThan(0);
  });

  it('POST /dy/live/get_room_ranklist as multipart, urlencoded and JSON, with the token in Access-Token', async () => {
    const fields = { wcid: 'session-1', room_id: goods.id, sec_anchor_id: goods.model.anchor.secUid };
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    const headers = { 'Access-Token': token };
    const multipart = await call('/dy/live/get_room_ranklist', { method: 'POST', auth: false, headers, body: form });
    expectDocumented(multipart, 200);
    expect(JSON.parse(multipart.text).data.data.ranks.length).toBeGreaterThan(0);
    expectDocumented(await call('/dy/live/get_room_ranklist', { method: 'POST', auth: false, headers, body: new URLSearchParams(fields) }), 200);
    const json = { ...headers, 'Content-Type': 'application/json' };
    expectDocumented(await call('/dy/live/get_room_ranklist', { method: 'POST', auth: false, headers: json, body: JSON.stringify(fields) }), 200);
  });

  it('GET /douyin/liveroom/chat: the first poll, then messages of every kind the route carries', async () => {
    const room = stack.sim.liveRooms()[1]!;
    expectDocumented(await call('/douyin/liveroom/chat', { query: { room_id: room.id } }), 200);
    await until(() => stack.gateway.supervisor.connectionState(room.id) === 'LIVE', 'the room to be collected');
    await until(() => stack.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
    room.emit(60, { kinds: ['chat', 'emoji', 'gift', 'like', 'member', 'follow', 'share', 'intro'] });
    const methods = new Set<string>();
    await until(async () => {
      const answer = await call('/douyin/liveroom/chat', { query: { room_id: room.id } });
      expectDocumented(answer, 200);
      for (const message of JSON.parse(answer.text).data.messages as { method: string }[]) methods.add(message.method);
      return methods.size >= 6;
    }, 'messages of several kinds');
  });

  it('failures: 400, 401 (missing, bad, revoked), 404, 405, 413, 415, 429 and 503 in the vendor\'s error form', async () => {
    const room = stack.sim.liveRooms()[0]!;
    expectDocumented(await call('/douyin/liveroom/info'), 400);
    expectDocumented(await call('/douyin/liveroom/status', { query: { room_id: '12ab' } }), 400);
    expectDocumented(await call('/douyin/liveroom/ranklist', { query: { room_id: room.id, anchor_id: 'x' } }), 400);
    expectDocumented(await call('/douyin/liveroom/info', { auth: false, query: { room_id: room.id } }), 401);
    expectDocumented(await call('/douyin/liveroom/info', { auth: false, query: { token: 'dlg_nope_nope', room_id: room.id } }), 401);
    expectDocumented(await call('/douyin/liveroom/feed', { auth: false, query: { token: revoked } }), 401);
    expectDocumented(await call('/douyin/liveroom/audience', { query: { room_id: '7000000000000000001' } }), 404);
    expectDocumented(await call('/douyin/liveroom/feed', { method: 'POST' }), 405);
    expectDocumented(await call('/dy/live/get_room_ranklist'), 405);
    const post = { method: 'POST', auth: false, headers: { 'Access-Token': token, 'Content-Type': 'text/plain' } };
    expectDocumented(await call('/dy/live/get_room_ranklist', { ...post, body: 'room_id' }), 415);
    expectDocumented(await call('/dy/live/get_room_ranklist', { ...post, body: 'x'.repeat(70 * 1024) }), 413);
    // Douyin throttling the gateway, then Douyin answering nothing: fresh rooms, so no cache answers.
    const throttled = stack.sim.createRoom({});
    const limit = stack.sim.injectFault({ target: { path: '/webcast/room/reflow/info/' }, fault: { kind: 'rate-limit', retryAfterSeconds: 7 } });
    expectDocumented(await call('/douyin/liveroom/info', { query: { room_id: throttled.id } }), 429);
    stack.sim.clearFaults(limit!);
    const silent = stack.sim.createRoom({});
    const empty = stack.sim.injectFault({ target: { path: '/webcast/ranklist/audience/' }, fault: { kind: 'empty-body' } });
    const unavailable = await call('/douyin/liveroom/audience', { query: { room_id: silent.id } });
    stack.sim.clearFaults(empty!);
    expect([502, 503]).toContain(unavailable.status);
    expectDocumented(unavailable, unavailable.status);
  });

  it('covered every documented operation with a success, and every failure status the simulator can cause', () => {
    const succeeded = new Set(answered.filter((answer) => answer.status === 200).map((answer) => `${answer.method} ${answer.path}`));
    expect([...succeeded].sort()).toEqual(checker.operations().sort());
    const statuses = new Set(answered.map((answer) => answer.status));
    for (const status of [400, 401, 404, 405, 413, 415, 429]) expect(statuses).toContain(status);
  });
});
