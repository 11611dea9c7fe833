// Domain User and Image → the field names Douyin (and so the vendor) uses for them. Douyin
// fills absent values with 0 / "" rather than null, and vendor clients expect that.
import type { Gender, Image, User } from '../../../domain/model.ts';
import { idLiteral, type VendorJson } from '../json.ts';

const GENDER_CODES: Record<Gender, number> = { UNKNOWN: 0, MALE: 1, FEMALE: 2 };

export function vendorImage(image: Image | null | undefined): VendorJson {
  return {
    uri: image?.uri ?? '',
    url_list: image?.urls ?? [],
    width: image?.width ?? 0,
    height: image?.height ?? 0,
  };
}

export function vendorUser(user: User): VendorJson {
  const sizes = user.avatarSizes ?? {};
  return {
    id: idLiteral(user.id),
    id_str: user.id,
    short_id: idLiteral(user.shortId),
    sec_uid: user.secUid ?? '',
    display_id: user.displayId ?? '',
    nickname: user.nickname,
    gender: GENDER_CODES[user.gender],
    signature: user.signature ?? '',
    verified: user.verified,
    avatar_thumb: vendorImage(sizes.SMALL ?? user.avatar),
    ...(sizes.MEDIUM ? { avatar_medium: vendorImage(sizes.MEDIUM) } : {}),
    ...(sizes.LARGE ? { avatar_large: vendorImage(sizes.LARGE) } : {}),
    follow_info: {
      follower_count: user.followerCount ?? 0,
      following_count: user.followingCount ?? 0,
    },
    pay_grade: {
      level: user.payGrade?.level ?? 0,
      name: user.payGrade?.name ?? '',
      grade_describe: user.payGrade?.description ?? '',
      this_grade_min_diamond: user.payGrade?.minDiamonds ?? 0,
      this_grade_max_diamond: user.payGrade?.maxDiamonds ?? 0,
      next_diamond: user.payGrade?.nextDiamonds ?? 0,
    },
    fans_club: {
      data: {
        club_name: user.fansClub?.name ?? '',
        level: user.fansClub?.level ?? 0,
        anchor_id: idLiteral(user.fansClub?.anchorId),
      },
    },
    web_rid: user.webRid ?? '',
  };
}
