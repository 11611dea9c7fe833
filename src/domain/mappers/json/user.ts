import type { FansClub, PayGrade, User } from '../../model.ts';
import { avatarSizesOf, genderOf, payGradeOf } from '../user-rules.ts';
import { mapImage } from './image.ts';
import { flag, idOf, idValue, int, nonNegative, record, text } from './values.ts';

export function mapPayGrade(value: unknown): PayGrade | null {
  const grade = record(value);
  if (grade === null) return null;
  return payGradeOf({
    level: nonNegative(grade.level) ?? 0,
    name: text(grade.name),
    description: text(grade.grade_describe),
    minDiamonds: nonNegative(grade.this_grade_min_diamond),
    maxDiamonds: nonNegative(grade.this_grade_max_diamond),
    nextDiamonds: nonNegative(grade.next_diamond),
  });
}

/** `fans_club.data`: a club only when it has a name (an empty name is "not a member"). */
export function mapFansClub(value: unknown): FansClub | null {
  const club = record(record(value)?.data);
  const name = text(club?.club_name);
  if (club === null || name === null) return null;
  return { name, level: nonNegative(club.level) ?? 0, anchorId: idOf(club, 'anchor_id') };
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
  const sizes = avatarSizesOf(mapImage(source.avatar_thumb), mapImage(source.avatar_medium), mapImage(source.avatar_large));
  return {
    id,
    shortId: idValue(source.short_id),
    secUid: text(source.sec_uid),
    displayId: text(source.display_id),
    nickname: text(source.nickname) ?? '',
    avatar: sizes?.SMALL ?? sizes?.MEDIUM ?? sizes?.LARGE ?? null,
    avatarSizes: sizes,
    gender: genderOf(int(source.gender)),
    signature: text(source.signature),
    payGrade: mapPayGrade(source.pay_grade),
    fansClub: mapFansClub(source.fans_club),
    followerCount: nonNegative(follow?.follower_count),
    followingCount: nonNegative(follow?.following_count),
    verified: flag(source.verified),
    webRid: idValue(source.web_rid),
  };
}
