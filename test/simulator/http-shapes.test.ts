// The simulator's web/enter and reflow JSON has the paths, field names and JSON types of the
// real captures for the fields the gateway reads. The captures are only read here, never by
// the simulator.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimRoom, type Simulator } from '../../src/simulator/index.ts';
import { at, jsonType, shapeDifferences } from './helpers/json-paths.ts';

const CAPTURES = fileURLToPath(new URL('../../../shared/captures/douyin/', import.meta.url));
const capturePath = (name: string) => `${CAPTURES}${name}/body.json`;
const REQUIRED = ['S04-enter-live', 'S04-enter-offline', 'S05-reflow-live', 'S05-reflow-ended'];
const haveCaptures = REQUIRED.every((name) => existsSync(capturePath(name)));

function capture(name: string): unknown {
  return JSON.parse(readFileSync(capturePath(name), 'utf8'));
}

let sim: Simulator;
let live: SimRoom;
let ended: SimRoom;

async function getJson(path: string, cookie = 'ttwid=1%7Ctest'): Promise<unknown> {
  const response = await fetch(`${sim.url}${path}`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return response.json();
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 'shapes', rooms: [{ goods: true }, { live: false }], autoTraffic: false });
  [live, ended] = sim.rooms() as [SimRoom, SimRoom];
  live.emit(200);
});

afterAll(async () => {
  await sim.stop();
});

/** What the gateway reads from web/enter (protocol §2.4, §5.20), compared in depth. */
const ENTER_DEEP = [
  'data.user',
  'data.data[].owner',
  'data.data[].cover',
  'data.data[].stats',
  'data.data[].room_view_stats',
  'data.data[].room_cart',
  'data.data[].game_data',
  'data.data[].paid_live_data',
  'data.data[].ecom_data',
  'data.data[].linker_detail',
  'data.data[].stream_url',
  'extra',
];

/** What the gateway reads from reflow, compared in depth. */
const REFLOW_DEEP = [
  'data.room.stats',
  'data.room.room_view_stats',
  'data.room.cover',
  'data.room.living_room_attrs',
  'data.room.owner.avatar_thumb',
  'data.room.owner.follow_info',
  'data.room.owner.pay_grade',
  'data.room.owner.fans_club',
  'data.room.owner.own_room',
  'data.room.stream_url.flv_pull_url',
  'data.room.stream_url.hls_pull_url_map',
  'data.room.stream_url.live_core_sdk_data.pull_data.options',
  'extra',
];

describe.skipIf(!haveCaptures)('JSON shapes against the real captures (skipped when ../shared/captures is absent)', () => {
  it('web/enter of a live room has every field of S04-enter-live, with the same types', async () => {
    const real = capture('S04-enter-live');
    const ours = await getJson(`/webcast/room/web/enter/?web_rid=${live.webRid}&aid=6383`);
    const problems = [
      ...shapeDifferences(real, ours, '', false),
      ...shapeDifferences(real, ours, 'data', false),
      ...shapeDifferences(real, ours, 'data.data[]', false),
      ...ENTER_DEEP.flatMap((path) => shapeDifferences(real, ours, path)),
    ];
    expect(problems).toEqual([]);
  });

  it('web/enter of an ended room has every field of S04-enter-offline', async () => {
    const real = capture('S04-enter-offline');
    const ours = await getJson(`/webcast/room/web/enter/?web_rid=${ended.webRid}`);
    const problems = [
      ...shapeDifferences(real, ours, 'data', false),
      ...shapeDifferences(real, ours, 'data.data[]', false),
      ...shapeDifferences(real, ours, 'data.user'),
    ];
    expect(problems).toEqual([]);
    expect(at(ours, 'data.room_status')).toBe(at(real, 'data.room_status'));
    expect(at(ours, 'data.data[].status')).toBe(at(real, 'data.data[].status'));
  });

  it('the stream_data JSON string holds the same per-quality main URLs as the capture', async () => {
    const real = at(capture('S04-enter-live'), 'data.data[].stream_url.live_core_sdk_data.pull_data.stream_data') as string;
    const ours = at(await getJson(`/webcast/room/web/enter/?web_rid=${live.webRid}`), 'data.data[].stream_url.live_core_sdk_data.pull_data.stream_data') as string;
    const realData = JSON.parse(real) as unknown;
    const ourData = JSON.parse(ours) as unknown;
    for (const quality of ['origin', 'hd', 'sd', 'ld', 'md']) {
      expect(shapeDifferences(realData, ourData, `data.${quality}.main`, false)).toEqual([]);
    }
  });

  it('reflow of a live room has every room field of S05-reflow-live, with the same types', async () => {
    const real = capture('S05-reflow-live');
    const ours = await getJson(`/webcast/room/reflow/info/?room_id=${live.id}&type_id=0&live_id=1&app_id=6383`);
    const problems = [
      ...shapeDifferences(real, ours, '', false),
      ...shapeDifferences(real, ours, 'data', false),
      ...shapeDifferences(real, ours, 'data.room', false),
      ...REFLOW_DEEP.flatMap((path) => shapeDifferences(real, ours, path)),
    ];
    expect(problems).toEqual([]);
  });

  it('reflow of an ended room has the fields of S05-reflow-ended, status 4 and a finish_time', async () => {
    const real = capture('S05-reflow-ended');
    const ours = await getJson(`/webcast/room/reflow/info/?room_id=${ended.id}`);
    expect(shapeDifferences(real, ours, 'data.room', false).filter((p) => !p.includes('episode_extra'))).toEqual([]);
    expect(at(ours, 'data.room.status')).toBe(4);
    expect(at(ours, 'data.room.owner.web_rid')).toBe(ended.webRid);
    expect(at(ours, 'data.room.finish_time') as number).toBeGreaterThanOrEqual(at(ours, 'data.room.start_time') as number);
  });
});

describe('id formats (independent of the captures)', () => {
  it('writes 19-digit room ids as id_str strings and 12-digit web_rids, and the enter anchor by uid and sec_uid', async () => {
    const body = await getJson(`/webcast/room/web/enter/?web_rid=${live.webRid}`);
    expect(at(body, 'data.enter_room_id')).toMatch(/^\d{19}$/);
    expect(at(body, 'data.data[].id_str')).toBe(at(body, 'data.enter_room_id'));
    expect(live.webRid).toMatch(/^[1-9]\d{11}$/);
    expect(at(body, 'data.user.id_str')).toMatch(/^\d{11,16}$/);
    expect(at(body, 'data.user.sec_uid')).toMatch(/^MS4wLjABAAAA/);
    expect(jsonType(at(body, 'extra.now'))).toBe('number');
  });

  it('keeps bare 64-bit numbers exact in the raw reflow JSON, beside their _str copies', async () => {
    const text = await (await fetch(`${sim.url}/webcast/room/reflow/info/?room_id=${live.id}`)).text();
    expect(text).toContain(`"id":${live.id},"id_str":"${live.id}"`);
    expect(text).toContain(`"owner_user_id":${live.model.anchor.id}`);
  });

  it('the room_id of web/enter starts with the broadcast start time in its high 32 bits', () => {
    const startSeconds = Number(BigInt(live.id) >> 32n);
    expect(startSeconds).toBe(Math.floor(live.model.startedAt / 1000));
  });
});
