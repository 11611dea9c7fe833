// The rank routes pass Douyin's JSON on whole (every key, 64-bit ids exact), with the
// domain-derived vendor fields underneath for whatever Douyin left out.
import { describe, expect, it } from 'vitest';
import type { RankListQuery } from '../../src/collectors/douyin-api.ts';
import { createOpenAuthenticator } from '../../src/server/auth/authenticator.ts';
import { TokenBucketRateLimiter } from '../../src/server/auth/rate-limiter.ts';
import { createVendorRestHandler } from '../../src/server/rest/handler.ts';
import { FakeDouyin, FakeRooms, ROOM_ID } from './helpers/fakes.ts';

const USER_ID = '3060694528041645';
const BIG_ID = '7690183442860198699';
const RANK_TEXT = `{"data":{"ranks":[{"rank":1,"score":7,"user":{"id":${USER_ID},"id_str":"${USER_ID}","nickname":"金刚","j_accredit_info":{"JAccreditLive":0},"fans_club":{"data":{"anchor_id":${BIG_ID},"badge":{"title":"金刚爱"}}}}}],"self_info":{"rank":0},"user_count_desc":"3万+"},"extra":{"now":5},"status_code":0}`;

function handlerWith(answerJson: string | null) {
  const douyin = new FakeDouyin();
  const asked: RankListQuery[] = [];
  Object.assign(douyin, {
    answers: {
      rankList: async (query: RankListQuery) => {
        asked.push(query);
        return { value: douyin.ranks, json: answerJson };
      },
    },
  });
  const handler = createVendorRestHandler({
    douyin,
    rooms: new FakeRooms(),
    history: null,
    auth: createOpenAuthenticator(),
    rateLimiter: new TokenBucketRateLimiter({ perMinute: 10_000 }),
  });
  return { handler, douyin, asked };
}

describe('rank routes pass Douyin\'s JSON through', () => {
  it('keeps every key Douyin sent, writes 64-bit ids as exact literals, and makes one upstream call', async () => {
    const { handler, douyin, asked } = handlerWith(RANK_TEXT);
    const response = await handler(new Request(`http://gateway/douyin/liveroom/ranklist?room_id=${ROOM_ID}&anchor_id=95760275230`));
    const text = (await response?.text()) ?? '';
    expect(response?.status).toBe(200);
    expect(text).toContain(`"anchor_id":${BIG_ID}`);
    const body = JSON.parse(text);
    expect(body.data.data.self_info).toEqual({ rank: 0 });
    expect(body.data.data.user_count_desc).toBe('3万+');
    expect(body.data.data.ranks[0].user.j_accredit_info).toEqual({ JAccreditLive: 0 });
    expect(body.data.data.ranks[0].user.fans_club.data.badge).toEqual({ title: '金刚爱' });
    // Not in Douyin's body: filled from the domain shape.
    expect(body.data.data.has_more).toBe(false);
    expect(body.data.extra.now).toBe(5);
    expect(asked).toEqual([{ roomId: ROOM_ID, anchorId: '95760275230' }]);
    expect(douyin.calls).toEqual([]);
    handler.close();
  });

  it('answers from the domain model alone when there is no upstream JSON', async () => {
    const { handler } = handlerWith(null);
    const response = await handler(new Request(`http://gateway/douyin/liveroom/audience?room_id=${ROOM_ID}`));
    const body = JSON.parse((await response?.text()) ?? '');
    expect(body.data.data.ranks).toHaveLength(2);
    expect(body.data.data.total).toBe(39847);
    handler.close();
  });
});
