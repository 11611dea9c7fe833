// web/enter and reflow bodies recorded from Douyin (../shared/captures), mapped to LiveRoom.
import { describe, expect, it } from 'vitest';
import { mapEnterBody, mapReflowBody, parseUpstreamJson } from '../../src/domain/mappers/json/index.ts';
import type { LiveRoom } from '../../src/domain/model.ts';
import { captureJson, captureText, haveCaptures } from './captures.ts';

function enter(sample: string, webRid: string): LiveRoom {
  const result = mapEnterBody(parseUpstreamJson(captureText(sample)), webRid);
  if (!result.ok) throw new Error(`expected a room, got ${JSON.stringify(result.signal)}`);
  return result.value;
}

function reflow(sample: string, roomId: string): LiveRoom {
  const result = mapReflowBody(parseUpstreamJson(captureText(sample)), roomId);
  if (!result.ok) throw new Error(`expected a room, got ${JSON.stringify(result.signal)}`);
  return result.value;
}

describe.skipIf(!haveCaptures)('web/enter captures (skipped: ../shared/captures is absent)', () => {
  it('S04-enter-live matches the values recorded in expected.json', () => {
    const expected = captureJson('S04-enter-live', 'expected.json').value;
    const room = enter('S04-enter-live', '547977714661');
    expect(room.id).toBe(expected.room.danmakuData.roomId);
    expect(room.webRid).toBe(expected.room.roomId);
    expect(room.title).toBe(expected.room.title);
    expect(room.owner?.nickname).toBe(expected.room.nick);
    expect(room.owner?.avatar?.urls[0]).toBe(expected.room.avatar);
    expect(room.cover?.urls[0]).toBe(expected.room.cover);
    expect(room.totalViewers).toBe(Number(expected.room.totalViewers));
    expect(room.status).toBe(expected.room.status ? 'LIVE' : 'ENDED');
    const expectedUrls = new Set(expected.qualities.flatMap((q: { urls: string[] }) => q.urls));
    expect(room.streamUrls.length).toBeGreaterThan(0);
    for (const stream of room.streamUrls) expect(expectedUrls.has(stream.url)).toBe(true);
  });

  it('S04-enter-live takes the exact viewer count, not the rounded "2000+"', () => {
    const raw = captureJson('S04-enter-live').data.data[0];
    const room = enter('S04-enter-live', '547977714661');
    expect(raw.user_count_str).toBe('2000+');
    expect(room.viewerCount).toBe(Number(raw.stats.user_count_str));
    expect(room.likeCount).toBe(raw.like_count);
    expect(room.owner?.id).toBe(raw.owner.id_str);
    expect(room.owner?.webRid).toBe('547977714661');
    expect(room.hasCommerceGoods).toBe(true);
    // No start_time in web/enter: the room id's high 32 bits carry the start (protocol §1.1).
    expect(room.startedAt).toBe(Number(BigInt(raw.id_str) >> 32n) * 1000);
    expect(room.finishedAt).toBeNull();
  });

  it('S04-enter-live lists FLV and HLS pulls per quality key', () => {
    const raw = captureJson('S04-enter-live').data.data[0].stream_url;
    const room = enter('S04-enter-live', '547977714661');
    const flv = room.streamUrls.filter((s) => s.protocol === 'FLV');
    const hls = room.streamUrls.filter((s) => s.protocol === 'HLS');
    expect(flv.map((s) => s.quality)).toEqual(Object.keys(raw.flv_pull_url));
    expect(hls.map((s) => s.quality)).toEqual(Object.keys(raw.hls_pull_url_map));
    expect(flv.find((s) => s.quality === 'HD1')?.url).toBe(raw.flv_pull_url.HD1);
  });

  it('S04-enter-live-portrait reports online viewers and does not invent a total from "4万+"', () => {
    const room = enter('S04-enter-live-portrait', '153806988623');
    expect(room.status).toBe('LIVE');
    expect(room.viewerCount).toBe(2268);
    expect(room.totalViewers).toBeNull();
    expect(room.likeCount).toBe(13067);
    expect(room.category).toBeNull();
  });

  it('S04-enter-offline is ENDED, with the anchor taken from data.user', () => {
    const room = enter('S04-enter-offline', '745964462470');
    expect(room.status).toBe('ENDED');
    expect(room.id).toBe('7376083140344859455');
    expect(room.owner).toMatchObject({ id: '2208256072094896', nickname: '喜剧电影笑不停', webRid: '745964462470' });
    expect(room.streamUrls).toEqual([]);
    expect(room.viewerCount).toBe(0);
  });

  it('S04-enter-notfound is the not-found signal with Douyin\'s prompt', () => {
    const result = mapEnterBody(parseUpstreamJson(captureText('S04-enter-notfound')), '999999999999');
    expect(result).toEqual({
      ok: false,
      signal: { kind: 'NOT_FOUND', statusCode: 4001038, message: '该内容暂时无法无法查看' },
    });
  });
});

describe.skipIf(!haveCaptures)('reflow captures (skipped: ../shared/captures is absent)', () => {
  it('S05-reflow-live is the same broadcast as S04-enter-live, with its web_rid from owner.web_rid', () => {
    const room = reflow('S05-reflow-live', '7687741736843512602');
    const entered = enter('S04-enter-live', '547977714661');
    expect(room.id).toBe(entered.id);
    expect(room.webRid).toBe(entered.webRid);
    expect(room.status).toBe('LIVE');
    expect(room.owner).toMatchObject({ displayId: 'cctv_video', followerCount: 33271917, followingCount: 7, gender: 'MALE' });
    expect(room.viewerCount).toBe(2585);
    expect(room.totalViewers).toBe(30549820);
  });

  it('S05-reflow-live: a live room repeats create_time in finish_time, which is not an end', () => {
    const raw = captureJson('S05-reflow-live').data.room;
    const room = reflow('S05-reflow-live', '7687741736843512602');
    expect(raw.finish_time).toBe(raw.create_time);
    expect(room.finishedAt).toBeNull();
    expect(room.startedAt).toBe(raw.start_time * 1000);
  });

  it('S05-reflow-ended carries start and finish times and links back to S04-enter-offline', () => {
    const room = reflow('S05-reflow-ended', '7376083140344859455');
    expect(room.status).toBe('ENDED');
    expect(room.startedAt).toBe(1717378229000);
    expect(room.finishedAt).toBe(1717403838000);
    expect(room.webRid).toBe(enter('S04-enter-offline', '745964462470').webRid);
  });

  it('reads a numeric-only id exactly from the raw text, and refuses a rounded one', () => {
    const text = captureText('S05-reflow-live').replace(/"id_str": "7687741736843512602",?\n/g, '');
    expect(text).not.toContain('"id_str": "7687741736843512602"');
    const exact = mapReflowBody(parseUpstreamJson(text), '7687741736843512602');
    expect(exact.ok && exact.value.id).toBe('7687741736843512602');
    // JSON.parse already rounded the only id there was: better no room than a wrong room.
    const rounded = mapReflowBody(JSON.parse(text), '7687741736843512602');
    expect(rounded).toMatchObject({ ok: false, signal: { kind: 'NOT_FOUND' } });
  });
});

describe('room bodies that are not rooms', () => {
  it('signals a bad shape for a body without data', () => {
    expect(mapEnterBody({ status_code: 0 }, '1')).toMatchObject({ ok: false, signal: { kind: 'BAD_SHAPE' } });
    expect(mapEnterBody('<html>', '1')).toMatchObject({ ok: false, signal: { kind: 'BAD_SHAPE' } });
    expect(mapReflowBody(null, '1')).toMatchObject({ ok: false, signal: { kind: 'BAD_SHAPE' } });
  });

  it('signals not found for an anchor with no room and login for 20003', () => {
    expect(mapEnterBody({ status_code: 0, data: { data: [] } }, '1')).toMatchObject({ ok: false, signal: { kind: 'NOT_FOUND' } });
    expect(mapReflowBody({ status_code: 0, data: { room: { id_str: '' } } }, '5')).toMatchObject({ ok: false, signal: { kind: 'NOT_FOUND' } });
    expect(mapEnterBody({ status_code: 20003, data: { message: "User doesn't login" } }, '1')).toEqual({
      ok: false,
      signal: { kind: 'LOGIN_REQUIRED', statusCode: 20003, message: "User doesn't login" },
    });
  });

  it('falls back to room_status when a room has no status of its own', () => {
    const body = (roomStatus: number) => ({ status_code: 0, data: { room_status: roomStatus, data: [{ id_str: '7690183442860198697' }] } });
    expect(mapEnterBody(body(0), '1')).toMatchObject({ ok: true, value: { status: 'LIVE' } });
    expect(mapEnterBody(body(2), '1')).toMatchObject({ ok: true, value: { status: 'ENDED' } });
  });

  it('maps a status it does not know to UNKNOWN rather than guessing', () => {
    const result = mapReflowBody({ status_code: 0, data: { room: { id_str: '7690183442860198697', status: 9 } } }, '7690183442860198697');
    expect(result).toMatchObject({ ok: true, value: { status: 'UNKNOWN', title: '', owner: null, streamUrls: [] } });
  });
});
