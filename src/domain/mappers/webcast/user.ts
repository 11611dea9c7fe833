// Douyin's User and Image protobufs → the domain User and Image, by the same rules as the JSON
// mappers (../json/user.ts, both through ../user-rules.ts), so a user looks the same whichever
// way it arrived.
import { count, isDecimalUint64, optionalId } from '../../ids.ts';
import type { FansClub, Image, PayGrade, User } from '../../model.ts';
import { avatarSizesOf, genderOf, payGradeOf } from '../user-rules.ts';
import type { WireFansClubData, WireImage, WirePayGrade, WireUser } from '../../wire.ts';
import { nonNegative, positive, text } from './values.ts';

/** A user, or null when it has no id (neither id nor id_str): such a user links to nothing. */
export function mapUser(wire: WireUser | null | undefined): User | null {
  if (wire === null || wire === undefined) return null;
  const id = userId(wire);
  if (id === null) return null;
  const followInfo = wire.followInfo ?? null;
  const avatarSizes = avatarSizesOf(mapImage(wire.avatarThumb), mapImage(wire.avatarMedium), mapImage(wire.avatarLarge));
  return {
    id,
    shortId: optionalId(wire.shortId),
    secUid: text(wire.secUid),
    displayId: text(wire.displayId),
    nickname: wire.nickname ?? '',
    avatar: avatarSizes === null ? null : (avatarSizes.SMALL ?? avatarSizes.MEDIUM ?? avatarSizes.LARGE ?? null),
    avatarSizes,
    gender: genderOf(wire.gender),
    signature: text(wire.signature),
    payGrade: mapPayGrade(wire.payGrade),
    fansClub: mapFansClub(wire.fansClub?.data),
    followerCount: followInfo === null ? null : count(followInfo.followerCount),
    followingCount: followInfo === null ? null : count(followInfo.followingCount),
    verified: wire.verified === true,
    webRid: text(wire.webRid),
  };
}

/** User.id, else the id_str (1028) some messages carry instead. */
function userId(wire: WireUser): string | null {
  const id = optionalId(wire.id);
  if (id !== null) return id;
  const idStr = wire.idStr?.trim() ?? '';
  return isDecimalUint64(idStr) ? idStr : null;
}

/** An image, or null when it holds no URL. Zero sizes mean "unknown". */
export function mapImage(wire: WireImage | null | undefined): Image | null {
  if (wire === null || wire === undefined) return null;
  const urls: string[] = [];
  for (const url of wire.urlList ?? []) if (url !== '') urls.push(url);
  if (urls.length === 0) return null;
  return { urls, uri: text(wire.uri), width: positive(wire.width), height: positive(wire.height) };
}

function mapPayGrade(wire: WirePayGrade | null | undefined): PayGrade | null {
  if (wire === null || wire === undefined) return null;
  return payGradeOf({
    level: Math.max(count(wire.level), 0),
    name: text(wire.name),
    description: text(wire.gradeDescribe),
    minDiamonds: nonNegative(wire.thisGradeMinDiamond),
    maxDiamonds: count(wire.thisGradeMaxDiamond),
    nextDiamonds: count(wire.nextDiamond),
  });
}

/** A club only when it has a name: an empty name is "not a member". */
function mapFansClub(wire: WireFansClubData | null | undefined): FansClub | null {
  const name = text(wire?.clubName);
  if (wire === null || wire === undefined || name === null) return null;
  return { name, level: Math.max(wire.level ?? 0, 0), anchorId: optionalId(wire.anchorId) };
}
