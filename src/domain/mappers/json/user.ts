import type { AvatarSize, FansClub, Gender, Image, PayGrade, User } from '../../model.ts';
import { mapImage } from './image.ts';
import { flag, idOf, idValue, int, nonNegative, record, text, type JsonRecord } from './values.ts';

const GENDERS: Record<number, Gender> = { 1: 'MALE', 2: 'FEMALE' };

/** "距离17级还差3抖币" → 3: Douyin often leaves next_diamond at 0 and says it in words. */
const DIAMONDS_TO_NEXT = /还差\s*(\d+)\s*抖币/;

function nextDiamonds(grade: JsonRecord): number | null {
  const stated = nonNegative(grade.next_diamond);
  if (stated !== null && stated > 0) return stated;
  const match = DIAMONDS_TO_NEXT.exec(text(grade.grade_describe) ?? '');
  return match ? Number(match[1]) : null;
}

export function mapPayGrade(value: unknown): PayGrade | null {
  const grade = record(value);
  if (grade === null) return null;
  const level = nonNegative(grade.level) ?? 0;
  const description = text(grade.grade_describe);
  // Level 0 with no words is Douyin's placeholder for "no wealth level", not a real level 0.
  if (level === 0 && description === null) return null;
  const maxDiamonds = nonNegative(grade.this_grade_max_diamond);
  return {
    level,
    name: text(grade.name),
    description,
    minDiamonds: nonNegative(grade.this_grade_min_diamond),
    maxDiamonds: maxDiamonds === 0 ? null : maxDiamonds,
    nextDiamonds: nextDiamonds(grade),
  };
}

/** `fans_club.data`: a club only when it has a name (an empty name is "not a member"). */
export function mapFansClub(value: unknown): FansClub | null {
  const club = record(record(value)?.data);
  const name = text(club?.club_name);
  if (club === null || name === null) return null;
  return { name, level: nonNegative(club.level) ?? 0, anchorId: idOf(club, 'anchor_id') };
}

function avatarSizes(source: JsonRecord): Partial<Record<AvatarSize, Image>> | null {
  const sizes: Partial<Record<AvatarSize, Image>> = {};
  const small = mapImage(source.avatar_thumb);
  const medium = mapImage(source.avatar_medium);
  const large = mapImage(source.avatar_large);
  if (small) sizes.SMALL = small;
  if (medium) sizes.MEDIUM = medium;
  if (large) sizes.LARGE = large;
  return Object.keys(sizes).length > 0 ? sizes : null;
}

/**
 * A Douyin user object (room owner, web/enter `data.user`, rank entries). Null when it has no
 * usable id: reflow's empty visitor `data.user` has id 0, and a user without an id cannot be
 * linked to anything.
 */
export function mapUser(value: unknown): User | null {
  const source = record(value);
  const id = idOf(source);
  if (source === null || id === null) return null;
  const follow = record(source.follow_info);
  const sizes = avatarSizes(source);
  return {
    id,
    shortId: idValue(source.short_id),
    secUid: text(source.sec_uid),
    displayId: text(source.display_id),
    nickname: text(source.nickname) ?? '',
    avatar: sizes?.SMALL ?? sizes?.MEDIUM ?? sizes?.LARGE ?? null,
    avatarSizes: sizes,
    gender: GENDERS[int(source.gender) ?? 0] ?? 'UNKNOWN',
    signature: text(source.signature),
    payGrade: mapPayGrade(source.pay_grade),
    fansClub: mapFansClub(source.fans_club),
    followerCount: nonNegative(follow?.follower_count),
    followingCount: nonNegative(follow?.following_count),
    verified: flag(source.verified),
    webRid: idValue(source.web_rid),
  };
}
