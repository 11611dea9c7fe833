// issue 13 goal: every vendor route, answered by the gateway's own HTTP client over the
// simulator (Douyin's JSON passed on whole where a route does), carries at least 90% of the key
// paths of the vendor's sample in ../shared/seeds. Paths are recursive, array items merged under
// `[]`; the missing ones are printed so the next gap to fill is in the test output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DouyinHttpClient } from '../../src/collectors/http/index.ts';
import { createOpenAuthenticator } from '../../src/server/auth/authenticator.ts';
import { TokenBucketRateLimiter } from '../../src/server/auth/rate-limiter.ts';
import { createVendorRestHandler, type VendorRestHandler } from '../../src/server/rest/handler.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { chatEvent, FakeHistory, FakeRooms } from './helpers/fakes.ts';
import { seedSample, seedsAvailable, type SampleName } from './helpers/seed-samples.ts';
import { shapeOf } from './helpers/shape.ts';

const GOAL = 0.9;

/** The sample's key paths our answer has, and the ones it lacks. */
export function keyPathCoverage(ours: unknown, sample: unknown): { share: number; missing: string[] } {
  const have = new Set(shapeOf(ours).types.keys());
  const want = [...shapeOf(sample).types.keys()].filter((path) => path !== '');
  const missing = want.filter((path) => !have.has(path));
  return { share: want.length === 0 ? 1 : (want.length - missing.length) / want.length, missing };
}

let sim: Simulator;
let handler: VendorRestHandler;
let roomId: string;
let webRid: string;
let anchorId: string;
let secAnchorId: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'vendor-coverage', rooms: 0, autoTraffic: false });
  const room = sim.createRoom({ goods: true });
  sim.createRoom({});
  roomId = room.id;
  webRid = room.webRid;
  // Rank lists are built from the gifts sent: send some, so the ranks have entries.
  room.emit(40, { kinds: ['gift'] });
  const client = new DouyinHttpClient({ webUrl: sim.url, reflowUrl: sim.url, cookie: 'sessionid=coverage', timeoutMs: 5000, retries: 0, ratePerSec: 10_000, rateBurst: 10_000 });
  const info = await client.roomByRoomId(roomId);
  anchorId = info.owner!.id;
  secAnchorId = info.owner!.secUid!;
  const history = new FakeHistory();
  handler = createVendorRestHandler({
    douyin: client,
    rooms: new FakeRooms(),
    history,
    auth: createOpenAuthenticator(),
    rateLimiter: new TokenBucketRateLimiter({ perMinute: 100_000 }),
  });
  history.append(chatEvent('想要长款连衣裙', roomId), chatEvent('23号大衣还有吗', roomId));
});

afterAll(async () => {
  handler?.close();
  await sim?.stop();
});

interface Case {
  route: string;
  sample: SampleName;
  request: () => Request;
}

const get = (path: () => string) => () => new Request(`http://gateway${path()}`);

const CASES: Case[] = [
  { route: 'info by room_id', sample: 'info', request: get(() => `/douyin/liveroom/info?room_id=${roomId}`) },
  { route: 'info by web_rid', sample: 'info', request: get(() => `/douyin/liveroom/info?room_id=${webRid}`) },
  { route: 'feed', sample: 'feed', request: get(() => '/douyin/liveroom/feed') },
  { route: 'status', sample: 'status', request: get(() => `/douyin/liveroom/status?room_id=${roomId}`) },
  { route: 'promotions', sample: 'promotions', request: get(() => `/douyin/liveroom/promotions?room_id=${roomId}`) },
  { route: 'audience', sample: 'audience', request: get(() => `/douyin/liveroom/audience?room_id=${roomId}`) },
  { route: 'ranklist', sample: 'ranklist', request: get(() => `/douyin/liveroom/ranklist?room_id=${roomId}&anchor_id=${anchorId}`) },
  {
    route: 'get_room_ranklist',
    sample: 'room-ranklist-post',
    request: () => {
      const form = new FormData();
      form.set('wcid', 'session-1');
      form.set('room_id', roomId);
      form.set('sec_anchor_id', secAnchorId);
      return new Request('http://gateway/dy/live/get_room_ranklist', { method: 'POST', body: form });
    },
  },
  { route: 'chat', sample: 'chat-v2', request: get(() => `/douyin/liveroom/chat?room_id=${roomId}`) },
];

describe.skipIf(!seedsAvailable)('vendor routes over the simulator cover the seed samples\' key paths', () => {
  it.each(CASES)('$route: at least 90% of the sample\'s key paths', async ({ route, sample, request }) => {
    const response = await handler(request());
    const text = (await response?.text()) ?? '';
    expect(response?.status, text.slice(0, 300)).toBe(200);
    const { share, missing } = keyPathCoverage(JSON.parse(text), seedSample(sample));
    if (process.env.COVERAGE_DUMP) (await import("node:fs")).appendFileSync(process.env.COVERAGE_DUMP, `${route}\n${missing.join("\n")}\n\n`);
    console.log(`${route}: ${(share * 100).toFixed(1)}% of ${sample}'s key paths${missing.length === 0 ? '' : `; missing ${missing.length}: ${missing.join(', ')}`}`);
    expect(share).toBeGreaterThanOrEqual(GOAL);
  });
});
