// Each route's output, compared key path by key path and type by type with the vendor's
// samples in ../shared/seeds. What we do not provide, or add, is listed with reasons in
// vendor-gaps.ts; any other difference fails. The chat route is compared with the vendor's
// newer chat sample (im/fetch layout, with a cursor); its older flat-array sample is not served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAuthenticator } from '../../src/server/auth/authenticator.ts';
import { TokenBucketRateLimiter } from '../../src/server/auth/rate-limiter.ts';
import { createVendorRestHandler, type VendorRestHandler } from '../../src/server/rest/handler.ts';
import { FakeDouyin, FakeHistory, FakeRooms, ROOM_ID, OTHER_ROOM_ID, chatEvent } from './helpers/fakes.ts';
import { seedSample, seedsAvailable, type SampleName } from './helpers/seed-samples.ts';
import { compareShapes, undocumented, type Documented } from './helpers/shape.ts';
import { canonicalPath, EXTRAS, PROMOTION_GAPS, RANK_GAPS, ROOM_GAPS, USER_GAPS } from './vendor-gaps.ts';

type Kind = Parameters<typeof canonicalPath>[0];

interface Case {
  route: string;
  sample: SampleName;
  kind: Kind;
  gaps: Documented[];
  request: () => Request;
}

const get = (path: string) => () => new Request(`http://gateway${path}`);

const CASES: Case[] = [
  { route: 'info', sample: 'info', kind: 'room', gaps: [...ROOM_GAPS, ...USER_GAPS], request: get(`/douyin/liveroom/info?room_id=${ROOM_ID}`) },
  { route: 'feed', sample: 'feed', kind: 'feed', gaps: [...ROOM_GAPS, ...USER_GAPS], request: get('/douyin/liveroom/feed') },
  { route: 'status', sample: 'status', kind: 'other', gaps: [], request: get(`/douyin/liveroom/status?room_id=${ROOM_ID},${OTHER_ROOM_ID}`) },
  { route: 'promotions', sample: 'promotions', kind: 'other', gaps: PROMOTION_GAPS, request: get(`/douyin/liveroom/promotions?room_id=${ROOM_ID}`) },
  { route: 'audience', sample: 'audience', kind: 'rank', gaps: [...RANK_GAPS, ...USER_GAPS], request: get(`/douyin/liveroom/audience?room_id=${ROOM_ID}`) },
  { route: 'ranklist', sample: 'ranklist', kind: 'rank', gaps: [...RANK_GAPS, ...USER_GAPS], request: get(`/douyin/liveroom/ranklist?room_id=${ROOM_ID}&anchor_id=95760275230`) },
  {
    route: 'get_room_ranklist',
    sample: 'room-ranklist-post',
    kind: 'rank',
    gaps: [...RANK_GAPS, ...USER_GAPS],
    request: () => {
      const form = new FormData();
      form.set('wcid', 'session-1');
      form.set('room_id', ROOM_ID);
      form.set('sec_anchor_id', 'MS4wLjABAAAAd7M5_hVqarquigSl3t-Kuw');
      return new Request('http://gateway/dy/live/get_room_ranklist', { method: 'POST', body: form });
    },
  },
  { route: 'chat', sample: 'chat-v2', kind: 'other', gaps: [], request: get(`/douyin/liveroom/chat?room_id=${ROOM_ID}`) },
];

const title = seedsAvailable
  ? 'vendor routes match the structure of the vendor samples (../shared/seeds)'
  : 'vendor route shapes (skipped: ../shared/seeds is absent, so there are no vendor samples to compare with)';

describe.skipIf(!seedsAvailable)(title, () => {
  let handler: VendorRestHandler;
  const history = new FakeHistory();
  const missingByList = new Map<Documented[], string[]>();
  const extras: string[] = [];

  beforeAll(async () => {
    const douyin = new FakeDouyin();
    douyin.statuses = [{ roomId: ROOM_ID, isLive: true }];
    handler = createVendorRestHandler({
      douyin,
      rooms: new FakeRooms(),
      history,
      auth: createOpenAuthenticator(),
      rateLimiter: new TokenBucketRateLimiter({ perMinute: 10_000 }),
    });
    // The first chat poll only starts collecting; what is stored after it is the next poll's.
    await handler(new Request(`http://gateway/douyin/liveroom/chat?room_id=${ROOM_ID}`));
    history.append(chatEvent('想要长款连衣裙'), chatEvent('23号大衣还有吗'));
  });

  afterAll(() => handler.close());

  it.each(CASES)('$route has the sample\'s types everywhere and only documented gaps', async ({ sample, kind, gaps, request }) => {
    const response = await handler(request());
    expect(response?.status).toBe(200);
    const ours: unknown = JSON.parse((await response?.text()) ?? 'null');
    const diff = compareShapes(ours, seedSample(sample));

    expect(diff.mismatches).toEqual([]);
    const missing = diff.missing.map((path) => canonicalPath(kind, path));
    const extra = diff.extra.map((path) => canonicalPath(kind, path));
    expect(undocumented(missing, gaps).uncovered).toEqual([]);
    expect(undocumented(extra, EXTRAS).uncovered).toEqual([]);
    for (const list of [ROOM_GAPS, USER_GAPS, RANK_GAPS, PROMOTION_GAPS]) {
      if (gaps.includes(list[0] as Documented)) missingByList.set(list, [...(missingByList.get(list) ?? []), ...missing]);
    }
    extras.push(...extra);
  });

  it('documents no gap or extra that no longer occurs', () => {
    for (const list of [ROOM_GAPS, USER_GAPS, RANK_GAPS, PROMOTION_GAPS]) {
      expect(undocumented(missingByList.get(list) ?? [], list).stale).toEqual([]);
    }
    expect(undocumented(extras, EXTRAS).stale).toEqual([]);
  });

  it('writes 64-bit ids as exact number literals where the samples have numbers', async () => {
    const text = (await (await handler(get(`/douyin/liveroom/status?room_id=${ROOM_ID}`)()))?.text()) ?? '';
    expect(text).toContain(`"room_id":${ROOM_ID}`);
    // The sample itself stores the id as a bare number too.
    expect(typeof (seedSample('status') as { data: { data: { room_id: unknown }[] } }).data.data[0]?.room_id).toBe('number');
  });

  it('answers errors in the shape of the vendor\'s error sample', async () => {
    const response = await handler(new Request('http://gateway/dy/live/get_room_ranklist', { method: 'POST', body: new FormData() }));
    const diff = compareShapes(JSON.parse((await response?.text()) ?? 'null'), seedSample('room-ranklist-post-error'));
    expect(diff).toEqual({ mismatches: [], missing: [], extra: [] });
  });
});
