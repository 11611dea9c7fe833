// The client's answers: Douyin's JSON text beside its mapping, from the same upstream call the
// domain methods make, so GraphQL and the vendor routes asking together cost Douyin one call.
import { describe, expect, it } from 'vitest';
import { UpstreamResponseCache } from '../../src/collectors/cache/response-cache.ts';
import { empty, json, useHarness } from './client-harness.ts';

const harnessOf = useHarness();

const ROOM_ID = '7690183442860198697';
const OWNER_ID = '95760275230';
// Bare 64-bit numbers beside fields the domain model does not keep.
const REFLOW_TEXT = `{"data":{"room":{"id":${ROOM_ID},"id_str":"${ROOM_ID}","status":2,"title":"t","owner_user_id":${OWNER_ID},"owner":{"id":${OWNER_ID},"id_str":"${OWNER_ID}","nickname":"n","j_accredit_info":{"JAccreditLive":0}},"room_auth":{"Chat":true}},"user":{}},"extra":{"now":1},"status_code":0}`;

describe('DouyinHttpClient answers', () => {
  it('answers the body text exactly as it arrived, and its mapping', async () => {
    harnessOf().routes.set('/webcast/room/reflow/info/', (_req, res) => json(res, REFLOW_TEXT));
    const answered = await harnessOf().client().api.answers.roomByRoomId(ROOM_ID);
    expect(answered.json).toBe(REFLOW_TEXT);
    expect(answered.value).toMatchObject({ id: ROOM_ID, title: 't', status: 'LIVE', owner: { id: OWNER_ID } });
  });

  it('with the response cache, the domain method and the answer share one upstream call and one stored body', async () => {
    harnessOf().routes.set('/webcast/room/reflow/info/', (_req, res) => setTimeout(() => json(res, REFLOW_TEXT), 20));
    const cache = new UpstreamResponseCache({ maxBytes: 1 << 20, freshMs: { 'room.reflow': 60_000 } });
    const { api, calls } = harnessOf().client({ cache });
    const [room, answered] = await Promise.all([api.roomByRoomId(ROOM_ID), api.answers.roomByRoomId(ROOM_ID)]);
    const later = await api.answers.roomByRoomId(ROOM_ID);
    expect(answered.value).toEqual(room);
    expect(later.json).toBe(REFLOW_TEXT);
    expect(calls.filter((call) => call.endpoint === 'room.reflow')).toHaveLength(1);
  });

  it('without a cache, a domain call and an answer in flight together each get their own reading', async () => {
    harnessOf().routes.set('/webcast/room/reflow/info/', (_req, res) => setTimeout(() => json(res, REFLOW_TEXT), 20));
    const { api } = harnessOf().client();
    const [room, answered] = await Promise.all([api.roomByRoomId(ROOM_ID), api.answers.roomByRoomId(ROOM_ID)]);
    expect(room.id).toBe(ROOM_ID);
    expect(answered.json).toBe(REFLOW_TEXT);
  });

  it('answers no JSON for a room without goods (an empty pop/v3 body), with the empty cart as its value', async () => {
    harnessOf().routes.set('/live/promotions/pop/v3/', empty);
    const answered = await harnessOf().client().api.answers.promotions({ roomId: ROOM_ID, authorId: OWNER_ID });
    expect(answered).toEqual({ value: { roomId: ROOM_ID, promotions: [], currentPromotionId: null, total: 0 }, json: null });
  });

  it('rejects with the coded upstream error, not a body, when Douyin says the room does not exist', async () => {
    harnessOf().routes.set('/webcast/ranklist/audience/', (_req, res) => json(res, { data: { prompts: '该内容暂时无法无法查看' }, status_code: 4001038 }));
    const failure = await harnessOf()
      .client({ cookie: 'sessionid=1' })
      .api.answers.rankList({ roomId: ROOM_ID })
      .then(
        () => null,
        (error: unknown) => error as { code: string },
      );
    expect(failure?.code).toBe('ROOM_NOT_FOUND');
  });
});
