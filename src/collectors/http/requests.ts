// URLs of Douyin's web endpoints (protocol §2.4, §2.5), parameters in the order the web page
// sends them. msToken and a_bogus are added per attempt by the client, not here.
import type { PromotionQuery, RankListQuery } from '../douyin-api.ts';
import { pushBrowserVersion, type BrowserProfile } from './browser-profile.ts';

export type QueryPairs = [string, string][];

export const PATHS = {
  enter: '/webcast/room/web/enter/',
  reflow: '/webcast/room/reflow/info/',
  checkAlive: '/webcast/room/check_alive/',
  rankList: '/webcast/ranklist/audience/',
  promotions: '/live/promotions/pop/v3/',
  feed: '/webcast/feed/',
  giftList: '/webcast/gift/list/',
  imFetch: '/webcast/im/fetch/',
} as const;

function fingerprint(profile: BrowserProfile): QueryPairs {
  return [
    ['cookie_enabled', 'true'],
    ['screen_width', String(profile.screenWidth)],
    ['screen_height', String(profile.screenHeight)],
    ['browser_language', profile.language],
    ['browser_platform', profile.browserPlatform],
    ['browser_name', profile.browserName],
    ['browser_version', profile.browserVersion],
  ];
}

/** §2.1: the block every live.douyin.com/webcast/* call starts with. */
export function commonQuery(profile: BrowserProfile, devicePlatform: 'web' | 'webapp' = 'web'): QueryPairs {
  return [
    ['aid', '6383'],
    ['app_name', 'douyin_web'],
    ['live_id', '1'],
    ['device_platform', devicePlatform],
    ['language', profile.language],
    ['enter_from', 'web_live'],
    ...fingerprint(profile),
  ];
}

export function urlOf(base: string, path: string, query: QueryPairs): string {
  return `${base}${path}?${new URLSearchParams(query).toString()}`;
}

export function enterQuery(webRid: string, profile: BrowserProfile): QueryPairs {
  return [
    ...commonQuery(profile),
    ['web_rid', webRid],
    ['room_id_str', ''],
    ['enter_source', ''],
    ['is_need_double_stream', 'false'],
    ['insert_task_id', ''],
    ['live_reason', ''],
  ];
}

/** Reflow is unsigned and takes its own small block (the S05 captures). */
export function reflowQuery(roomId: string, secUid = ''): QueryPairs {
  return [
    ['type_id', '0'],
    ['live_id', '1'],
    ['room_id', roomId],
    ['sec_user_id', secUid],
    ['version_code', '99.99.99'],
    ['app_id', '6383'],
  ];
}

export function checkAliveQuery(roomIds: readonly string[], profile: BrowserProfile): QueryPairs {
  return [...commonQuery(profile), ['room_ids', roomIds.join(',')]];
}

export function rankListQuery(query: RankListQuery, profile: BrowserProfile): QueryPairs {
  return [
    ...commonQuery(profile),
    ['webcast_sdk_version', '2450'],
    ['room_id', query.roomId],
    ['anchor_id', query.anchorId ?? ''],
    ['sec_anchor_id', query.secAnchorId ?? ''],
    ['rank_type', '30'],
    ['ignoreToast', 'true'],
    ['update_scene', 'rank_message'],
  ];
}

/** pop/v3 (§2.4): the e-commerce paths use the webapp block and a JSON entrance_info. */
export function promotionsQuery(query: PromotionQuery, profile: BrowserProfile): QueryPairs {
  const entranceInfo = JSON.stringify({
    room_id: query.roomId,
    anchor_id: query.authorId,
    carrier_type: 'live_popup_card',
    ecom_scene_id: '1001',
  });
  return [
    ...commonQuery(profile, 'webapp'),
    ['channel', 'channel_pc_web'],
    ['room_id', query.roomId],
    ['author_id', query.authorId],
    ['live_scene_id', '0'],
    ['entrance_info', entranceInfo],
  ];
}

export function feedQuery(profile: BrowserProfile): QueryPairs {
  return [
    ...commonQuery(profile),
    ['need_map', '1'],
    ['is_draw', '1'],
    ['inner_from_drawer', '0'],
    ['enter_source', 'web_homepage_hot_web_live_card'],
  ];
}

export function giftListQuery(roomId: string | undefined, profile: BrowserProfile): QueryPairs {
  return [...commonQuery(profile, 'webapp'), ...(roomId === undefined ? [] : ([['room_id', roomId]] as QueryPairs))];
}

export interface ImFetchParams {
  roomId: string;
  userUniqueId: string;
  cursor?: string;
  internalExt?: string;
}

/** §2.5, in the order S2 sends it. */
export function imFetchQuery(params: ImFetchParams, profile: BrowserProfile): QueryPairs {
  return [
    ['resp_content_type', 'protobuf'],
    ['did_rule', '3'],
    ['device_id', ''],
    ['app_name', 'douyin_web'],
    ['endpoint', 'live_pc'],
    ['support_wrds', '1'],
    ['user_unique_id', params.userUniqueId],
    ['identity', 'audience'],
    ['need_persist_msg_count', '15'],
    ['insert_task_id', ''],
    ['live_reason', ''],
    ['room_id', params.roomId],
    ['version_code', '180800'],
    ['last_rtt', '0'],
    ['live_id', '1'],
    ['aid', '6383'],
    ['fetch_rule', '1'],
    ['cursor', params.cursor ?? ''],
    ['internal_ext', params.internalExt ?? ''],
    ['device_platform', 'web'],
    ['cookie_enabled', 'true'],
    ['screen_width', String(profile.screenWidth)],
    ['screen_height', String(profile.screenHeight)],
    ['browser_language', profile.language],
    ['browser_platform', profile.browserPlatform],
    ['browser_name', 'Mozilla'],
    ['browser_version', pushBrowserVersion(profile.userAgent)],
    ['browser_online', 'true'],
    ['tz_name', profile.timeZone],
  ];
}
