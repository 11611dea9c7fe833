// Room calls against a local server that serves the recorded Douyin bodies.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDouyinHttpClient } from '../../src/collectors/http/index.ts';
import { noSigner } from '../../src/collectors/signer/index.ts';
import { captureText, haveCaptures } from '../mappers-json/captures.ts';
import { empty, json, sequence, TTWID, useHarness, upstreamFailure } from './client-harness.ts';

const harnessOf = useHarness();

const failure = upstreamFailure;

const ENTER_SAMPLES: Record<string, string> = {
  '547977714661': 'S04-enter-live',
  '745964462470': 'S04-enter-offline',
  '999999999999': 'S04-enter-notfound',
};
const REFLOW_SAMPLES: Record<string, string> = {
  '7687741736843512602': 'S05-reflow-live',
  '7376083140344859455': 'S05-reflow-ended',
};

function serveCaptures(): void {
  harnessOf().routes.set('/webcast/room/web/enter/', (req, res) => {
    const sample = ENTER_SAMPLES[req.url.searchParams.get('web_rid') ?? ''];
    if (sample === undefined) return empty(req, res);
    json(res, captureText(sample));
  });
  harnessOf().routes.set('/webcast/room/reflow/info/', (req, res) => {
    const sample = REFLOW_SAMPLES[req.url.searchParams.get('room_id') ?? ''];
    json(res, sample === undefined ? { data: { prompts: 'not found' }, status_code: 4001038 } : captureText(sample));
  });
}

describe.skipIf(!haveCaptures)('rooms from recorded bodies (skipped: ../shared/captures is absent)', () => {
  it('roomByWebRid maps the live capture', async () => {
    serveCaptures();
    const room = await harnessOf().client().api.roomByWebRid('547977714661');
    expect(room).toMatchObject({ id: '7687741736843512602', webRid: '547977714661', status: 'LIVE', title: '央视新闻频道正在直播' });
  });

  it('sends Douyin\'s standard query, msToken and headers, with the ttwid it fetched itself', async () => {
    serveCaptures();
    await harnessOf().client().api.roomByWebRid('547977714661');
    const [root] = harnessOf().server.seen('/');
    expect(root?.path).toBe('/');
    const [enter] = harnessOf().server.seen('/webcast/room/web/enter/');
    const query = enter!.url.searchParams;
    expect(Object.fromEntries(['aid', 'app_name', 'live_id', 'device_platform', 'cookie_enabled', 'web_rid'].map((k) => [k, query.get(k)]))).toEqual({
      aid: '6383',
      app_name: 'douyin_web',
      live_id: '1',
      device_platform: 'web',
      cookie_enabled: 'true',
      web_rid: '547977714661',
    });
    for (const key of ['language', 'enter_from', 'screen_width', 'screen_height', 'browser_language', 'browser_platform', 'browser_name', 'browser_version']) {
      expect(query.get(key), key).toBeTruthy();
    }
    expect(query.get('msToken')).toMatch(/^[A-Za-z0-9_-]{184}$/);
    expect(enter!.headers.cookie).toBe(`ttwid=${TTWID}`);
    expect(enter!.headers.referer).toBe(`${harnessOf().server.origin}/547977714661`);
    expect(enter!.headers['user-agent']).toMatch(/^Mozilla\/5\.0 .*Chrome\//);
    expect(enter!.headers.accept).toBe('application/json, text/plain, */*');
  });

  it('roomByRoomId reads reflow, ended rooms too', async () => {
    serveCaptures();
    const { api } = harnessOf().client();
    const [live, ended] = await Promise.all([api.roomByRoomId('7687741736843512602'), api.roomByRoomId('7376083140344859455')]);
    expect(live).toMatchObject({ status: 'LIVE', webRid: '547977714661' });
    expect(ended).toMatchObject({ status: 'ENDED', webRid: '745964462470', finishedAt: 1717403838000 });
    const reflow = harnessOf().server.seen('/webcast/room/reflow/info/')[0]!.url.searchParams;
    expect([...reflow.keys()].slice(0, 6)).toEqual(['type_id', 'live_id', 'room_id', 'sec_user_id', 'version_code', 'app_id']);
  });

  it('turns 4001038 and an unknown reflow room into RoomNotFound, without retrying', async () => {
    serveCaptures();
    const { api, sleeps } = harnessOf().client();
    expect((await failure(api.roomByWebRid('999999999999'))).code).toBe('ROOM_NOT_FOUND');
    expect((await failure(api.roomByRoomId('7000000000000000001'))).code).toBe('ROOM_NOT_FOUND');
    expect(harnessOf().server.seen('/webcast/room/web/enter/')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('answers Blocked for the recorded anonymous answer: 200 with no body', async () => {
    harnessOf().routes.set('/webcast/room/web/enter/', empty);
    const error = await failure(harnessOf().client().api.roomByWebRid('547977714661'));
    expect(error.code).toBe('BLOCKED');
    expect(error.message).toContain('empty body');
  });
});

describe('ttwid and cookies', () => {
  const ok = (roomId: string) => ({ status_code: 0, data: { room: { id_str: roomId, status: 2 } } });

  it('fetches the ttwid once and reuses it until its TTL', async () => {
    harnessOf().routes.set('/webcast/room/reflow/info/', (req, res) => json(res, ok(req.url.searchParams.get('room_id')!)));
    const { api, clock } = harnessOf().client({ ttwidTtlMs: 60_000 });
    await api.roomByRoomId('7690183442860198697');
    await api.roomByRoomId('7690183442860198698');
    expect(harnessOf().server.seen('/').filter((r) => r.path === '/')).toHaveLength(1);
    clock.now = 60_001;
    await api.roomByRoomId('7690183442860198699');
    expect(harnessOf().server.requests.filter((r) => r.path === '/')).toHaveLength(2);
  });

  it('refreshes the ttwid when a call comes back empty, and tries once more', async () => {
    harnessOf().routes.set('/webcast/room/reflow/info/', sequence((_q, s) => json(s, ok('7690183442860198697')), empty, (_q, s) => json(s, ok('7690183442860198698'))));
    const { api } = harnessOf().client();
    await api.roomByRoomId('7690183442860198697');
    const room = await api.roomByRoomId('7690183442860198698');
    expect(room.id).toBe('7690183442860198698');
    expect(harnessOf().server.requests.filter((r) => r.path === '/')).toHaveLength(2);
  });

  it('adds DOUYIN_COOKIE after the ttwid, and skips the fetch when the cookie has its own ttwid', async () => {
    harnessOf().routes.set('/webcast/room/reflow/info/', (_req, res) => json(res, ok('7690183442860198697')));
    await harnessOf().client({ cookie: 'sessionid=abc' }).api.roomByRoomId('7690183442860198697');
    expect(harnessOf().server.seen('/webcast/')[0]?.headers.cookie).toBe(`ttwid=${TTWID}; sessionid=abc`);
    harnessOf().server.requests.length = 0;
    await harnessOf().client({ cookie: 'ttwid=mine; sessionid=abc' }).api.roomByRoomId('7690183442860198697');
    expect(harnessOf().server.requests.map((r) => r.path)).toEqual(['/webcast/room/reflow/info/']);
    expect(harnessOf().server.requests[0]?.headers.cookie).toBe('ttwid=mine; sessionid=abc');
  });

  it('goes on without a ttwid when the web root sets none', async () => {
    harnessOf().routes.set('/', (_req, res) => res.end('no cookie here'));
    harnessOf().routes.set('/webcast/room/reflow/info/', (_req, res) => json(res, ok('7690183442860198697')));
    const room = await harnessOf().client().api.roomByRoomId('7690183442860198697');
    expect(room.id).toBe('7690183442860198697');
    expect(harnessOf().server.seen('/webcast/')[0]?.headers.cookie).toBeUndefined();
  });

  it('gives the push handshake the same user agent and cookie', async () => {
    const { api } = harnessOf().client({ cookie: 'sessionid=abc' });
    const headers = await api.pushHeaders('148108118778');
    expect(headers).toEqual({
      'User-Agent': api.userAgent,
      Cookie: `ttwid=${TTWID}; sessionid=abc`,
      Origin: harnessOf().server.origin,
      Referer: `${harnessOf().server.origin}/148108118778`,
    });
  });
});

describe('createDouyinHttpClient', () => {
  it('sends every call, reflow included, to DOUYIN_WEB_URL when it is set', async () => {
    const config = loadConfig({ DOUYIN_UPSTREAM: 'live', DOUYIN_WEB_URL: harnessOf().server.origin, DOUYIN_COOKIE: 'sessionid=abc' });
    harnessOf().routes.set('/webcast/room/reflow/info/', (_req, res) => json(res, { status_code: 0, data: { room: { id_str: '7690183442860198697' } } }));
    harnessOf().routes.set('/webcast/feed/', (_req, res) => json(res, { status_code: 0, data: [] }));
    const api = await createDouyinHttpClient(config.upstream, { signer: noSigner });
    expect((await api.roomByRoomId('7690183442860198697')).id).toBe('7690183442860198697');
    expect(await api.feed()).toEqual([]);
    expect(harnessOf().server.requests.map((r) => r.path)).toEqual(['/', '/webcast/room/reflow/info/', '/webcast/feed/']);
    expect(harnessOf().server.requests[1]?.headers.cookie).toBe(`ttwid=${TTWID}; sessionid=abc`);
  });
});
