// User JSON in its two shapes: the short one of web/enter (`data.user`, `owner`) and the full
// one of reflow, the feed and rank lists (bare numeric `id` beside `id_str`, pay grade, club).
import { formatCount } from '../format.ts';
import { bareId } from '../json.ts';
import { payGrade } from '../pay-grade.ts';
import type { SimAnchor, SimUser } from '../people.ts';
import type { BuildContext } from './context.ts';
import { imageJson, urlListJson } from './image.ts';

export function enterUserJson(ctx: BuildContext, user: SimUser) {
  return {
    id_str: user.id,
    sec_uid: user.secUid,
    nickname: user.nickname,
    avatar_thumb: urlListJson(ctx, `aweme/100x100/${user.avatarUri}.jpeg`),
    follow_info: { follow_status: 0, follow_status_str: '0' },
    foreign_user: 0,
    open_id_str: '',
  };
}

export function payGradeJson(ctx: BuildContext, user: SimUser) {
  const grade = payGrade(user.lifetimeDiamonds);
  return {
    total_diamond_count: user.lifetimeDiamonds,
    name: '',
    next_name: '',
    level: grade.level,
    next_diamond: 0,
    now_diamond: 0,
    this_grade_min_diamond: grade.minDiamonds,
    this_grade_max_diamond: grade.maxDiamonds,
    pay_diamond_bak: 0,
    grade_describe: grade.describe,
    grade_icon_list: [],
    screen_chat_type: 0,
    new_im_icon_with_level: imageJson(ctx, `webcast/user_grade_level_v5_${grade.level}.png`, { width: 32, height: 16, imageType: 1 }),
    new_live_icon: imageJson(ctx, `webcast/aweme_pay_grade_2x_${grade.level}.png`, { width: 12, height: 12, imageType: 1 }),
    upgrade_need_consume: 0,
    next_privileges: '',
    score: user.lifetimeDiamonds,
    grade_describe_shining: false,
    in_rebirth: false,
    grade_banner: '',
  };
}

/**
 * Fans-club JSON. Douyin fills it only for the anchor asked about (the rank list's
 * `anchor_id`), so a membership of another anchor's club shows as the empty club.
 */
export function fansClubJson(ctx: BuildContext, user: SimUser, anchorId: string | null) {
  const club = clubOf(user, anchorId);
  return {
    data: {
      club_name: club?.clubName ?? '',
      level: club?.level ?? 0,
      user_fans_club_status: club ? 1 : 0,
      badge: {
        // A member's badge comes in renditions keyed by style (2 club, 3 subscriber, 4 and 5 their
        // stretchable forms), as in the vendor's get_room_ranklist sample; a non-member's is one empty image.
        icons: club
          ? {
              2: imageJson(ctx, `webcast/ranklist_fansclub_super_badge_${club.level}.png`),
              3: imageJson(ctx, `webcast/ranklist_subscribe_super_badge_${club.level}.png`),
              4: imageJson(ctx, `webcast/ranklist_fansclub_super_badge_${club.level}.9.png`, { ninePatch: true }),
              5: imageJson(ctx, `webcast/ranklist_subscribe_super_badge_${club.level}.9.png`, { ninePatch: true }),
            }
          : { 0: imageJson(ctx, '') },
        title: club?.clubName ?? '',
      },
      available_gift_ids: [],
      anchor_id: club ? bareId(club.anchorId) : 0,
      badge_type: 0,
      user_guard_status: 0,
      guard_expired_time: 0,
      anchor_open_id: '',
    },
    prefer_data: {},
  };
}

function clubOf(user: SimUser, anchorId: string | null) {
  return user.fansClub && anchorId !== null && user.fansClub.anchorId === anchorId ? user.fansClub : null;
}

/** The badges shown beside a name: the pay grade, and the fans-club badge with its text for members. */
function badgesV2(ctx: BuildContext, user: SimUser, anchorId: string | null) {
  const grade = payGrade(user.lifetimeDiamonds);
  const club = clubOf(user, anchorId);
  return [
    imageJson(ctx, `webcast/user_grade_level_v5_${grade.level}.png`, { width: 32, height: 16, imageType: 1 }),
    ...(club
      ? [
          {
            ...imageJson(ctx, `webcast/ranklist_fansclub_super_badge_${club.level}.png`, { imageType: 7 }),
            content: { alternative_text: '', font_color: '#FFFFFF', level: club.level, name: club.clubName },
          },
          imageJson(ctx, `webcast/ranklist_fansclub_super_badge_${club.level}.9.png`, { imageType: 51, ninePatch: true }),
        ]
      : []),
  ];
}

/** Douyin's real-name accreditation flags; 0 for every simulated user. */
const J_ACCREDIT_INFO = { JAccreditAdvance: 0, JAccreditBasic: 0, JAccreditContent: 0, JAccreditLive: 0 };

/** Account settings Douyin lists on every full user; the simulator's users all have defaults. */
const ACCOUNT_FLAGS = {
  adversary_authorization_info: 0,
  media_badge_image_list: [],
  adversary_user_status: 0,
  commerce_webcast_config_ids: [],
  subscribe: { is_member: false, level: 0, identity_type: 0, buy_type: 0, open: 0 },
  user_canceled: false,
  public_area_oper_freq: 0,
  webcast_private: 0,
  can_view_webcast_private: 0,
  webcast_nick: '',
  hide_by_room: 0,
  link_mask: 0,
  allow_others_download_when_sharing_video: false,
  allow_show_in_gossip: false,
  allow_show_my_action: false,
  allow_strange_comment: false,
  allow_unfollower_comment: false,
  birthday_description: '',
  birthday_valid: false,
  block_status: 0,
  comment_restrict: 0,
  disable_ichat: 0,
  enable_ichat_img: 0,
  exp: 0,
  fold_stranger_chat: false,
  hotsoon_verified: false,
  hotsoon_verified_reason: '',
  ichat_restrict_type: 0,
  need_profile_guide: false,
  push_comment_status: false,
  push_digg: false,
  push_follow: false,
  push_friend_action: false,
  push_ichat: false,
  push_status: false,
  push_video_post: false,
  push_video_recommend: false,
  verified_mobile: false,
  with_car_management_permission: false,
  watch_duration_month: 0,
};

export interface FullUserOptions {
  /** Whose fans club to show (rank lists pass the room's anchor). */
  clubAnchorId?: string | null;
  /** Set for an anchor: their room number and current broadcast. */
  anchor?: { webRid: string; roomIds: string[] };
}

export function fullUserJson(ctx: BuildContext, user: SimUser | SimAnchor, options: FullUserOptions = {}) {
  const grade = payGrade(user.lifetimeDiamonds);
  const verified = 'verified' in user ? user.verified : false;
  return {
    id: bareId(user.id),
    short_id: bareId(user.shortId),
    nickname: user.nickname,
    gender: user.gender,
    signature: user.signature,
    level: 0,
    birthday: 0,
    telephone: '',
    avatar_thumb: imageJson(ctx, `aweme/100x100/${user.avatarUri}.jpeg`),
    avatar_medium: imageJson(ctx, `aweme/720x720/${user.avatarUri}.jpeg`),
    avatar_large: imageJson(ctx, `aweme/1080x1080/${user.avatarUri}.jpeg`),
    verified,
    experience: 0,
    city: '',
    status: 1,
    create_time: 0,
    modify_time: Math.floor(ctx.nowMs / 1000),
    secret: 0,
    share_qrcode_uri: '',
    income_share_percent: 0,
    // The honor-level icon Douyin lists for every user with a grade.
    badge_image_list: grade.level > 0 ? [imageJson(ctx, `webcast/aweme_honor_level_icon_new_${Math.min(grade.level, 50)}.png`, { width: 32, height: 16, imageType: 1 })] : [],
    ...(options.anchor
      ? {
          authentication_info: {
            authentication_badge: imageJson(ctx, 'webcast/authentication_icon.png'),
            custom_verify: verified ? '认证主播' : '',
            enterprise_verify_reason: '',
          },
        }
      : {}),
    j_accredit_info: J_ACCREDIT_INFO,
    follow_info: {
      following_count: user.followingCount,
      follower_count: user.followerCount,
      follow_status: 0,
      push_status: 0,
      remark_name: '',
      follower_count_str: formatCount(user.followerCount),
      following_count_str: formatCount(user.followingCount),
      invalid_follow_status: false,
      follwer_count_display: formatCount(user.followerCount),
      follower_count_str_desc: '',
    },
    pay_grade: payGradeJson(ctx, user),
    fans_club: fansClubJson(ctx, user, options.clubAnchorId ?? null),
    special_id: '',
    real_time_icons: [],
    new_real_time_icons: [],
    top_vip_no: 0,
    user_attr: { is_muted: false, is_admin: false, is_super_admin: false, admin_privileges: [] },
    ...(options.anchor
      ? { own_room: { room_ids: options.anchor.roomIds.map(bareId), room_ids_str: options.anchor.roomIds, room_ids_display: [] } }
      : {}),
    pay_score: user.lifetimeDiamonds,
    ticket_count: 0,
    link_mic_stats: 0,
    display_id: user.displayId,
    with_commerce_permission: options.anchor !== undefined,
    with_fusion_shop_entry: options.anchor !== undefined,
    total_recharge_diamond_count: 0,
    verified_content: '',
    top_fans: [],
    sec_uid: user.secUid,
    user_role: 0,
    authorization_info: 3,
    badge_image_list_v2: badgesV2(ctx, user, options.clubAnchorId ?? null),
    location_city: '',
    remark_name: '',
    mystery_man: 1,
    web_rid: options.anchor?.webRid ?? '',
    desensitized_nickname: '',
    is_anonymous: false,
    consume_diamond_level: 0,
    webcast_uid: '',
    allow_be_located: false,
    allow_find_by_contacts: false,
    allow_others_download_video: false,
    allow_share_show_profile: false,
    allow_use_linkmic: false,
    bg_img_url: '',
    constellation: '',
    fan_ticket_count: 0,
    follow_status: 0,
    id_str: user.id,
    is_follower: false,
    is_following: false,
    pay_scores: 0,
    verified_reason: '',
    age_range: 0,
    foreign_user: 0,
    user_open_id: '',
    ...ACCOUNT_FLAGS,
  };
}
