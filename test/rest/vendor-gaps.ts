// Which fields of the vendor's samples the gateway does not provide, and why; and what it adds.
// Paths are canonical: ROOM = a room object, USER = a user inside it or inside a rank entry,
// IMAGE = an image (cover or avatar), RANKS = the rank list payload. `*` matches inside one
// path segment. The shape test fails on a gap missing from this list and on an entry here that
// no longer matches anything, so the list stays exact.
import type { Documented } from './helpers/shape.ts';

export const USER_GAPS: Documented[] = [
  {
    why: 'account settings and viewer-relative flags: not in the domain model, and meaningless to an anonymous gateway',
    paths: [
      'USER.allow_*', 'USER.push_*', 'USER.adversary_*', 'USER.authorization_info', 'USER.secret', 'USER.with_*',
      'USER.comment_restrict', 'USER.ichat_restrict_type', 'USER.disable_ichat', 'USER.enable_ichat_img', 'USER.fold_stranger_chat',
      'USER.block_status', 'USER.need_profile_guide', 'USER.is_follower', 'USER.is_following', 'USER.follow_status',
      'USER.follow_info.follow_status', 'USER.follow_info.push_status', 'USER.follow_info.remark_name', 'USER.remark_name',
      'USER.user_role', 'USER.user_attr', 'USER.mystery_man', 'USER.is_anonymous', 'USER.desensitized_nickname',
      'USER.j_accredit_info', 'USER.age_range',
    ],
  },
  {
    why: 'profile details the domain User does not keep (Douyin mostly sends them empty to web clients)',
    paths: [
      'USER.birthday*', 'USER.constellation', 'USER.city', 'USER.location_city', 'USER.telephone', 'USER.bg_img_url',
      'USER.create_time', 'USER.modify_time', 'USER.status', 'USER.level', 'USER.exp', 'USER.experience', 'USER.special_id',
      'USER.share_qrcode_uri', 'USER.verified_content', 'USER.verified_reason', 'USER.verified_mobile', 'USER.hotsoon_verified*',
      'USER.authentication_info', 'USER.income_share_percent', 'USER.watch_duration_month', 'USER.own_room',
    ],
  },
  {
    why: 'badge and icon lists: display assets the domain model does not carry',
    paths: [
      'USER.badge_image_list', 'USER.badge_image_list_v2', 'USER.media_badge_image_list', 'USER.real_time_icons',
      'USER.new_real_time_icons', 'USER.top_fans', 'USER.top_vip_no', 'USER.commerce_webcast_config_ids', 'USER.link_mic_stats',
    ],
  },
  {
    why: 'spending counters and grade display assets beyond PayGrade (level, name, description, min/max/next diamonds)',
    paths: [
      'USER.fan_ticket_count', 'USER.ticket_count', 'USER.pay_score', 'USER.pay_scores', 'USER.total_recharge_diamond_count',
      'USER.pay_grade.grade_banner', 'USER.pay_grade.grade_icon_list', 'USER.pay_grade.new_im_icon_with_level',
      'USER.pay_grade.new_live_icon', 'USER.pay_grade.next_name', 'USER.pay_grade.next_privileges', 'USER.pay_grade.now_diamond',
      'USER.pay_grade.pay_diamond_bak', 'USER.pay_grade.score', 'USER.pay_grade.screen_chat_type',
      'USER.pay_grade.total_diamond_count', 'USER.pay_grade.upgrade_need_consume',
    ],
  },
  {
    why: 'fans-club badge assets and status flags beyond FansClub (name, level, anchor)',
    paths: [
      'USER.fans_club.data.available_gift_ids', 'USER.fans_club.data.badge', 'USER.fans_club.data.badge_type',
      'USER.fans_club.data.user_fans_club_status', 'USER.fans_club.prefer_data',
    ],
  },
  {
    why: 'image display metadata: the domain Image keeps URLs, uri and size only',
    paths: ['IMAGE.avg_color', 'IMAGE.image_type', 'IMAGE.is_animated', 'IMAGE.open_web_url', 'IMAGE.flex_setting_list', 'IMAGE.text_setting_list'],
  },
];

export const ROOM_GAPS: Documented[] = [
  {
    why: 'app-era (2020) client, layout and feature flags with no counterpart in the 2026 web endpoints or the domain model',
    paths: [
      'ROOM.AnchorABMap', 'ROOM.anchor_tab_type', 'ROOM.app_id', 'ROOM.auto_cover', 'ROOM.base_category', 'ROOM.book_*',
      'ROOM.business_live', 'ROOM.category', 'ROOM.cell_style', 'ROOM.challenge_info', 'ROOM.client_version', 'ROOM.comment_box',
      'ROOM.comment_name_mode', 'ROOM.common_label_list', 'ROOM.content_tag', 'ROOM.deco_list', 'ROOM.distance*',
      'ROOM.dynamic_cover_*', 'ROOM.enable_room_perspective', 'ROOM.*_msg_style', 'ROOM.fcdn_appid', 'ROOM.feed_room_label',
      'ROOM.finish_reason', 'ROOM.finish_url', 'ROOM.forum_extra_data', 'ROOM.group_id', 'ROOM.group_source', 'ROOM.guide_button',
      'ROOM.hot_sentence_info', 'ROOM.is_replay', 'ROOM.is_show_*', 'ROOM.last_ping_time', 'ROOM.layout', 'ROOM.linker_map',
      'ROOM.linkmic_layout', 'ROOM.live_distribution', 'ROOM.live_id', 'ROOM.live_type_*', 'ROOM.location',
      'ROOM.lottery_finish_time', 'ROOM.luckymoney_num', 'ROOM.mosaic_*', 'ROOM.orientation', 'ROOM.os_type',
      'ROOM.owner_device_id', 'ROOM.popularity*', 'ROOM.pre_enter_time', 'ROOM.preview_*', 'ROOM.private_info',
      'ROOM.ranklist_audience_type', 'ROOM.real_distance', 'ROOM.relation_tag', 'ROOM.replay', 'ROOM.replay_location',
      'ROOM.room_audit_status', 'ROOM.room_auth', 'ROOM.room_create_ab_param', 'ROOM.room_layout', 'ROOM.room_tabs',
      'ROOM.room_tag', 'ROOM.scroll_config', 'ROOM.search_id', 'ROOM.sell_goods', 'ROOM.short_title',
      'ROOM.short_touch_area_config', 'ROOM.stamps', 'ROOM.stream_close_time', 'ROOM.stream_provider',
      'ROOM.sun_daily_icon_content', 'ROOM.tags', 'ROOM.use_filter', 'ROOM.vertical_cover_uri', 'ROOM.vid', 'ROOM.video_feed_tag',
      'ROOM.wait_copy', 'ROOM.web_count', 'ROOM.webcast_comment_tcs', 'ROOM.webcast_sdk_version', 'ROOM.with_draw_something',
      'ROOM.with_ktv', 'ROOM.with_linkmic',
    ],
  },
  {
    why: 'room texts and lists the domain LiveRoom does not keep (share texts, intro, admins, top fans)',
    paths: [
      'ROOM.admin_user_ids', 'ROOM.anchor_scheduled_time_text', 'ROOM.anchor_share_text', 'ROOM.user_share_text',
      'ROOM.share_url', 'ROOM.introduction', 'ROOM.top_fans',
    ],
  },
  {
    why: 'room statistics beyond viewers and likes (the domain keeps viewerCount, totalViewers, likeCount)',
    paths: [
      'ROOM.stats.digg_count', 'ROOM.stats.dou_plus_promotion', 'ROOM.stats.enter_count', 'ROOM.stats.fan_ticket',
      'ROOM.stats.follow_count', 'ROOM.stats.gift_uv_count', 'ROOM.stats.money', 'ROOM.stats.total_user_desp',
      'ROOM.stats.user_count_composition', 'ROOM.stats.watermelon',
    ],
  },
  {
    why: 'stream internals: the domain StreamUrl keeps protocol, quality and pull URL (flv/hls maps and the best of each are served)',
    paths: [
      'ROOM.stream_id', 'ROOM.stream_id_str', 'ROOM.stream_url.candidate_resolution', 'ROOM.stream_url.complete_push_urls',
      'ROOM.stream_url.extra', 'ROOM.stream_url.*_params', 'ROOM.stream_url.id', 'ROOM.stream_url.id_str',
      'ROOM.stream_url.live_core_sdk_data', 'ROOM.stream_url.provider', 'ROOM.stream_url.push_urls',
      'ROOM.stream_url.resolution_name', 'ROOM.stream_url.rtmp_push_url', 'ROOM.stream_url.stream_control_type',
    ],
  },
  { why: 'viewer-relative room flags (admin, silenced) of the vendor\'s own logged-in account', paths: ['ROOM.living_room_attrs.admin_flag', 'ROOM.living_room_attrs.rank', 'ROOM.living_room_attrs.silence_flag'] },
];

export const RANK_GAPS: Documented[] = [
  {
    why: 'rank-list labels and the vendor account\'s own entry: not in the domain RankList (self_info is about the logged-in viewer)',
    paths: ['RANKS.currency', 'RANKS.music_wave', 'RANKS.has_once_live', 'RANKS.rules_url', 'RANKS.seats', 'RANKS.self_info', 'RANKS.user_count_desc', 'RANKS.invisible_total'],
  },
  {
    why: 'per-entry display flags the domain RankEntry does not keep',
    paths: ['RANKS.ranks[].first_gift', 'RANKS.ranks[].is_hidden', 'RANKS.ranks[].score_description'],
  },
];

export const PROMOTION_GAPS: Documented[] = [
  {
    why: 'cart paging and refresh hints of the 2020 app endpoint; the 2026 endpoint returns the whole cart (has_more is always false)',
    paths: ['data.entries', 'data.expire_time', 'data.flash_total', 'data.min_refresh_gap', 'data.next_page_id', 'data.room_type', 'data.show_begin_time', 'data.show_duration', 'data.status_msg', 'data.top_limit'],
  },
  {
    why: 'product display and commission details beyond the domain Promotion (title, prices, cover, stock, sales, shop, index)',
    paths: [
      'data.promotions[].app_*', 'data.promotions[].apply_coupon', 'data.promotions[].button_label', 'data.promotions[].campaign',
      'data.promotions[].can_*', 'data.promotions[].cos_*', 'data.promotions[].coupons', 'data.promotions[].elastic_title',
      'data.promotions[].event_param', 'data.promotions[].extra', 'data.promotions[].flash_*', 'data.promotions[].item_type',
      'data.promotions[].label_icon', 'data.promotions[].next_page', 'data.promotions[].order_url', 'data.promotions[].platform*',
      'data.promotions[].promotion_source', 'data.promotions[].short_half_url', 'data.promotions[].skip_style',
      'data.promotions[].status',
    ],
  },
];

/** What we send that a given sample lacks. */
export const EXTRAS: Documented[] = [
  { why: 'the anchor\'s fixed room number (2026 web endpoints send owner.web_rid; the 2020 samples predate it)', paths: ['USER.web_rid'] },
  { why: 'medium and large avatars when Douyin sent them (the room samples carry both; the rank samples happen not to)', paths: ['USER.avatar_medium', 'USER.avatar_large'] },
  { why: 'exactly_score, from the 2021 rank samples, on every rank route', paths: ['RANKS.ranks[].exactly_score'] },
  { why: 'the shop name the domain Promotion keeps', paths: ['data.promotions[].shop_name'] },
  {
    why: 'the POST sample is cut off inside ranks[]: total, extra, status_code and msg come after the cut (the other rank samples have them)',
    paths: ['RANKS.total', 'data.extra', 'data.status_code', 'msg'],
  },
];

const PREFIXES: [string, string][] = [
  ['data.data[].owner.', 'USER.'],
  ['data.data.owner.', 'USER.'],
  ['data.data.ranks[].user.', 'USER.'],
  ['data.data[].', 'ROOM.'],
];

/** Canonical form of a path of the given route (see the header comment). */
export function canonicalPath(route: 'room' | 'feed' | 'rank' | 'other', path: string): string {
  let out = path;
  for (const [from, to] of PREFIXES) if (out.startsWith(from)) out = to + out.slice(from.length);
  if (route === 'room' && out.startsWith('data.data.')) out = `ROOM.${out.slice('data.data.'.length)}`;
  if (route === 'rank' && out.startsWith('data.data.')) out = `RANKS.${out.slice('data.data.'.length)}`;
  out = out.replace(/^USER\.avatar_(thumb|medium|large)\./, 'IMAGE.').replace(/^ROOM\.cover\./, 'IMAGE.');
  return out;
}
