// Room JSON in Douyin's shapes (protocol §5.20): `data.data[0]` of web/enter (live, or the
// short form of an ended room) and the full Room of reflow and the feed, which carries bare
// 64-bit numbers (`id`, `owner_user_id`) beside their `_str` strings.
import { formatCount } from '../format.ts';
import { bareId } from '../json.ts';
import { rankedContributions, type RoomModel } from '../room-model.ts';
import type { BuildContext } from './context.ts';
import { imageJson, urlListJson } from './image.ts';
import { streamUrlJson } from './stream-url.ts';
import { enterUserJson, fullUserJson } from './user.ts';

const STATUS_LIVE = 2;
const STATUS_ENDED = 4;

export function roomStatus(room: RoomModel): number {
  return room.status === 'live' ? STATUS_LIVE : STATUS_ENDED;
}

/** "2000+" style online count of web/enter. */
function userCountStr(viewers: number): string {
  if (viewers < 1000) return String(viewers);
  if (viewers < 10_000) return `${Math.floor(viewers / 1000) * 1000}+`;
  return `${formatCount(viewers)}+`;
}

const ROOM_AUTH = {
  Chat: true,
  Danmaku: false,
  Gift: true,
  LuckMoney: false,
  Digg: true,
  RoomContributor: true,
  Props: false,
  UserCard: true,
  POI: false,
  MoreAnchor: 0,
  Banner: 1,
  Share: 1,
  UserCorner: 0,
  Landscape: 1,
  LandscapeChat: 1,
  PublicScreen: 1,
  GiftAnchorMt: 0,
  RecordScreen: 1,
  DonationSticker: 0,
  HourRank: 1,
  CommerceCard: 1,
  AudioChat: 2,
  DanmakuDefault: 0,
  KtvOrderSong: 2,
  Like: 1,
  FansClub: 1,
};

function viewStatsJson(room: RoomModel) {
  const total = formatCount(room.totalViewers);
  return {
    is_hidden: false,
    display_short: total,
    display_middle: `${total}人看过`,
    display_long: `${total}人看过`,
    display_value: room.totalViewers,
    display_version: Math.floor(room.startedAt / 1000),
    incremental: true,
    display_type: 3,
    display_short_anchor: total,
    display_middle_anchor: `${total}人看过`,
    display_long_anchor: `${total}人看过`,
  };
}

function roomCartJson(room: RoomModel) {
  const hasGoods = room.products.length > 0;
  return { contain_cart: hasGoods, total: room.products.length, flash_total: 0, cart_icon: '', show_cart: hasGoods ? 1 : 0 };
}

const GAME_DATA = { game_tag_info: { is_game: 2, game_tag_id: 0, game_tag_name: '' } };
const ECOM_DATA = { reds_show_infos: [], instant_type: 0, route_rule: '', shop_author_header: '', intro_type: 0, float_window_type: 0, ecom_live_arua: 0 };
const PAID_LIVE_DATA = {
  paid_type: 0,
  view_right: 0,
  duration: 0,
  delivery: 0,
  need_delivery_notice: false,
  anchor_right: 0,
  pay_ab_type: 0,
  privilege_info: {},
  privilege_info_map: {},
  max_preview_duration: 0,
};
const LINKER_DETAIL = {
  linker_play_modes: [],
  big_party_layout_config_version: 0,
  accept_audience_pre_apply: false,
  linker_ui_layout: 0,
  enable_audience_linkmic: 0,
  function_type: '',
  linker_map_str: {},
  ktv_lyric_mode: '',
  init_source: '',
  forbid_apply_from_other: false,
  ktv_exhibit_mode: 0,
  enlarge_guest_turn_on_source: 0,
  playmode_detail: {},
  client_ui_info: '',
  manual_open_ui: 0,
  feature_list: [],
};

/**
 * The tap areas of the room page and their priorities, as Douyin sends them (the vendor's info
 * sample); type 11 is absent there too.
 */
const SHORT_TOUCH_ELEMENTS = Object.fromEntries(
  [
    [1, 0], [2, 0], [3, 0], [4, 2], [5, 3], [6, 2], [7, 2], [8, 2], [9, 2], [10, 2], [12, 2],
  ].map(([type, priority]) => [String(type), { priority, type }]),
);

const SHORT_TOUCH_AREA_CONFIG = { elements: SHORT_TOUCH_ELEMENTS, forbidden_types_map: {}, temp_state_condition_map: {}, temp_state_strategy: {} };

/** Room admins: the first viewers of the room's audience (stable for a room). */
const ADMIN_COUNT = 2;

function adminIds(room: RoomModel): string[] {
  return Array.from({ length: ADMIN_COUNT }, (_, i) => room.viewer(i).id);
}

/** The room's top three gifters, as the room page's fan strip shows them. */
function topFansJson(ctx: BuildContext, room: RoomModel) {
  return rankedContributions(room)
    .slice(0, 3)
    .map((entry) => ({ fan_ticket: entry.diamonds, user: fullUserJson(ctx, entry.user, { clubAnchorId: room.anchor.id }) }));
}

/** `data.data[0]` of web/enter for a live room. */
export function enterLiveRoomJson(ctx: BuildContext, room: RoomModel) {
  return {
    id_str: room.roomId,
    status: roomStatus(room),
    status_str: String(roomStatus(room)),
    title: room.title,
    user_count_str: userCountStr(room.viewers),
    cover: urlListJson(ctx, `${room.coverUri}~tplv-qz53dukwul-common-resize:0:0.image`),
    stream_url: streamUrlJson(ctx, room, 'enter'),
    mosaic_status: 0,
    mosaic_status_str: '0',
    admin_user_ids: adminIds(room).map(bareId),
    admin_user_ids_str: adminIds(room),
    owner: {
      ...enterUserJson(ctx, room.anchor),
      subscribe: { is_member: false, level: 0, identity_type: 0, buy_type: 0, open: 0 },
    },
    room_auth: ROOM_AUTH,
    live_room_mode: 0,
    stats: {
      total_user_desp: '人看过',
      like_count: 0,
      total_user_str: formatCount(room.totalViewers),
      user_count_str: String(room.viewers),
    },
    has_commerce_goods: room.products.length > 0,
    linker_map: {},
    linker_detail: LINKER_DETAIL,
    room_view_stats: viewStatsJson(room),
    scene_type_info: { is_union_live_room: false, is_life: false, is_protected_room: 0, is_lasted_goods_room: 2, is_desire_room: 2, commentary_type: false, is_sub_orientation_vertical_room: 2 },
    toolbar_data: { entrance_list: [], more_panel: [], max_entrance_cnt: 4, landscape_up_right: [], skin_resource: {}, max_entrance_cnt_landscape: 5 },
    ecom_data: ECOM_DATA,
    room_cart: roomCartJson(room),
    AnchorABMap: {},
    like_count: room.likes,
    owner_user_id_str: '',
    paid_live_data: PAID_LIVE_DATA,
    basis: { next_ping: 300, is_customize_audio_room: false, need_request_luckybox: 0, secret_room: 0, foreign_user_room: 0 },
    game_data: GAME_DATA,
    pico_info: { pico_live_type: 0, pico_create_scene: '', custom_info: '', pitch: 0, client_live_type: 0, pico_live_mode: 0, stream_mapping: {} },
    extra: { vs_type: 0 },
    gift_msg_style: 2,
    fansclub_msg_style: 2,
    follow_msg_style: 2,
    share_msg_style: 2,
    short_touch_area_config: SHORT_TOUCH_AREA_CONFIG,
    preview_expose: { style: 0, metas: [], chat_msgs: [], need_realtime: false },
    req_user: { user_share_room_score: 0, enter_user_device_type: 0 },
    others: { deco_detail: {}, more_panel_info: { load_strategy: 3 }, web_skin: { enable_skin: false }, labels: {} },
    admin_user_open_ids: [],
    admin_user_open_ids_str: [],
    owner_open_id_str: '',
  };
}

/** `data.data[0]` of web/enter for an ended room: Douyin sends only these fields. */
export function enterEndedRoomJson(room: RoomModel) {
  return {
    id_str: room.roomId,
    status: roomStatus(room),
    status_str: String(roomStatus(room)),
    title: room.title,
    user_count_str: '0',
    mosaic_status: 0,
    mosaic_status_str: '',
    admin_user_ids: [],
    admin_user_ids_str: [],
    live_room_mode: 0,
    has_commerce_goods: false,
    linker_map: {},
    AnchorABMap: {},
    like_count: 0,
    owner_user_id_str: '',
    gift_msg_style: 0,
    fansclub_msg_style: 0,
    follow_msg_style: 0,
    share_msg_style: 0,
    admin_user_open_ids: [],
    admin_user_open_ids_str: [],
    owner_open_id_str: '',
  };
}

/** The full Room of reflow and the feed; works for ended rooms too. */
export function fullRoomJson(ctx: BuildContext, room: RoomModel) {
  const live = room.status === 'live';
  const roomId = bareId(room.roomId);
  const startSeconds = Math.floor(room.startedAt / 1000);
  const finishSeconds = room.endedAt === null ? startSeconds : Math.floor(room.endedAt / 1000);
  return {
    id: roomId,
    id_str: room.roomId,
    status: roomStatus(room),
    owner_user_id: bareId(room.anchor.id),
    title: room.title,
    user_count: live ? room.viewers : 0,
    create_time: startSeconds,
    linkmic_layout: 0,
    finish_time: finishSeconds,
    extra: { is_sandbox: false, xigua_uid: 0, limit_strategy: 0, limit_appid: '', geo_block: 0, vr_type: 0, is_virtual_anchor: false },
    dynamic_cover_uri: '',
    dynamic_cover_dict: {},
    last_ping_time: 0,
    live_id: 1,
    stream_provider: 0,
    os_type: 0,
    client_version: 0,
    with_linkmic: false,
    enable_room_perspective: false,
    cover: imageJson(ctx, room.coverUri),
    share_url: `${ctx.baseUrl}/webcast/reflow/${room.roomId}`,
    anchor_share_text: `#在抖音，记录美好生活#【${room.anchor.nickname}】正在直播，来和我一起支持Ta吧。`,
    user_share_text: `#在抖音，记录美好生活#【${room.title}】直播中。`,
    stream_id: bareId(room.streamId),
    stream_id_str: room.streamId,
    // Douyin keeps stream_url on ended rooms too (the URLs are dead by then).
    stream_url: streamUrlJson(ctx, room, 'reflow'),
    mosaic_status: 0,
    mosaic_tip: '',
    cell_style: 3,
    luckymoney_num: 0,
    deco_list: [],
    top_fans: topFansJson(ctx, room),
    stats: {
      id: roomId,
      id_str: room.roomId,
      fan_ticket: room.fanTickets,
      money: 0,
      total_user: room.totalViewers,
      gift_uv_count: room.contributions.size,
      follow_count: 0,
      user_count_composition: { city: 0, video_detail: 0.7, my_follow: 0.05, other: 0.25 },
      watermelon: 0,
      digg_count: 0,
      enter_count: 0,
      dou_plus_promotion: '',
      total_user_desp: '人看过',
      like_count: room.likes,
      total_user_str: formatCount(room.totalViewers),
      user_count_str: String(live ? room.viewers : 0),
      comment_count: 0,
      welfare_donation_amount: 0,
      up_right_stats_str: '',
      up_right_stats_str_complete: '',
      total_user_uv_preview_str: '',
    },
    sun_daily_icon_content: '',
    distance: '',
    distance_city: '',
    location: '',
    real_distance: '',
    feed_room_label: imageJson(ctx, 'webcast/2ea90002aca1159b5c67'),
    common_label_list: '',
    living_room_attrs: { room_id: roomId, room_id_str: room.roomId, silence_flag: 0, admin_flag: 0, rank: 0 },
    admin_user_ids: adminIds(room).map(bareId),
    owner: fullUserJson(ctx, room.anchor, { anchor: { webRid: room.webRid, roomIds: live ? [room.roomId] : [] } }),
    private_info: '',
    has_commerce_goods: room.products.length > 0,
    live_type_normal: true,
    live_type_linkmic: false,
    live_type_audio: false,
    live_type_third_party: false,
    live_type_screenshot: false,
    live_type_sandbox: false,
    live_type_official: false,
    group_id: 0,
    orientation: room.portrait ? 1 : 2,
    category: 0,
    tags: [],
    start_time: startSeconds,
    popularity: 0,
    popularity_str: '',
    fcdn_appid: 0,
    sell_goods: room.products.length > 0,
    web_count: 0,
    vertical_cover_uri: '',
    base_category: 0,
    room_auth: ROOM_AUTH,
    room_tabs: [],
    introduction: '',
    is_replay: false,
    vid: '',
    group_source: 0,
    lottery_finish_time: 0,
    layout: 0,
    wait_copy: '很多美好的东西，都是等来的',
    guide_button: imageJson(ctx, 'webcast/aweme_button_togather_3x.png'),
    preview_copy: '世界很大，但我们很有缘~',
    is_show_inquiry_ball: false,
    use_filter: false,
    gift_msg_style: 2,
    distance_km: '',
    finish_url: '',
    is_show_user_card_switch: true,
    video_feed_tag: live ? '直播中' : '',
    forum_extra_data: '',
    fansclub_msg_style: 2,
    follow_msg_style: 2,
    share_msg_style: 2,
    room_layout: 0,
    short_title: '',
    book_time: startSeconds,
    book_end_time: 0,
    room_audit_status: 2,
    live_distribution: [],
    replay: false,
    challenge_info: '',
    like_count: room.likes,
    search_id: 0,
    anchor_scheduled_time_text: '',
    hot_sentence_info: '',
    replay_location: 0,
    stream_close_time: 0,
    content_tag: '',
    anchor_tab_type: 0,
    stamps: '',
    comment_box: { placeholder: '说点什么...' },
    business_live: 0,
    with_ktv: false,
    with_draw_something: false,
    webcast_comment_tcs: 0,
    room_tag: 0,
    linker_map: {},
    finish_reason: 0,
    scroll_config: '',
    relation_tag: '',
    owner_device_id: 0,
    auto_cover: 0,
    app_id: 1128,
    webcast_sdk_version: 0,
    comment_name_mode: 0,
    room_create_ab_param: '',
    pre_enter_time: 0,
    ranklist_audience_type: 0,
    preview_flow_tag: 0,
    AnchorABMap: {},
    linkmic_display_type: 0,
    live_room_mode: 0,
    highlight: false,
    is_official_channel_room: false,
    fans_group_admin_user_ids: [],
    official_channel_uid: 0,
    paid_live_data: PAID_LIVE_DATA,
    room_view_stats: viewStatsJson(room),
    short_touch_area_config: SHORT_TOUCH_AREA_CONFIG,
    city_top_distance: '',
    live_platform_source: '',
    acquaintance_status: 0,
    live_type_vs_live: false,
    live_type_vs_premiere: false,
    ...(live ? { episode_extra: { current_period: '', title: room.title, episode_list_h5: '', episode_id: 0, episode_id_str: '', item_id: '', selection_url: '' } } : {}),
    vs_roles: [],
    item_explicit_info: '',
    sofa_layout: 0,
    is_need_check_list: false,
    filter_words: [],
    visibility_range: 0,
    game_room_type: 0,
    title_recommend: false,
    danmaku_detail: 0,
    has_promotion_games: 0,
    toutiao_cover_recommend_level: 0,
    toutiao_title_recommend_level: 0,
    upper_right_widget_data_list: [],
    assist_label_list: [],
    with_aggregate_column: false,
    auth_city: '',
    pack_meta: { scene: 'reflow_room_info', env: 'simulator', dc: 'local', trace_id: '', cluster: 'default', extras: {} },
    redpacket_audience_auth: 0,
    vs_main_replay_id: 0,
    screen_capture_sharing_title: '',
    sharing_music_id_list: [],
    owner_open_id: '',
    admin_user_open_ids: [],
    fans_group_admin_user_open_ids: [],
    official_channel_open_id: '',
  };
}
