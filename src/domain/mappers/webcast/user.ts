// Douyin's User and Image protobufs → the domain User and Image, by the same rules as the JSON
// mappers (../json/user.ts), so a user looks the same whichever way it arrived.
import { count, isDecimalUint64, optionalId, type Uint64Like } from '../../ids.ts';
import type { AvatarSize, FansClub, Gender, Image, PayGrade, User } from '../../model.ts';
import type { WireFansClubData, WireImage, WirePayGrade, WireUser } from '../../wire.ts';

const GENDERS: Record<number, Gender> = { 1: 'MALE', 2: 'FEMALE' };

/** A user, or null when it has no id (neither id nor id_str): such a user links to nothing. */
export function mapUser(wire: WireUser | null | undefined): User | null {
  if (wire === null || wire === undefined) return null;
  const id = userId(wire);
  if (id === null) return null;
  const followInfo = wire.followInfo ?? null;
  const avatarSizes = avatarSizesOf(wire);
  return {
    id,
    shortId: optionalId(wire.shortId),
    secUid: text(wire.secUid),
    displayId: text(wire.displayId),
    nickname: wire.nickname ?? '',
    avatar: avatarSizes === null ? null : (avatarSizes.SMALL ?? avatarSizes.MEDIUM ?? avatarSizes.LARGE ?? null),
    avatarSizes,
    gender: GENDERS[wire.gender ?? 0] ?? 'UNKNOWN',
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

function avatarSizesOf(wire: WireUser): Partial<Record<AvatarSize, Image>> | null {
  const small = mapImage(wire.avatarThumb);
  const medium = mapImage(wire.avatarMedium);
  const large = mapImage(wire.avatarLarge);
  if (small === null && medium === null && large === null) return null;
  const sizes: Partial<Record<AvatarSize, Image>> = {};
  if (small !== null) sizes.SMALL = small;
  if (medium !== null) sizes.MEDIUM = medium;
  if (large !== null) sizes.LARGE = large;
  return sizes;
}

/** An image, or null when it holds no URL. Zero sizes mean "unknown". */
export function mapImage(wire: WireImage | null | undefined): Image | null {
  if (wire === null || wire === undefined) return null;
  const urls: string[] = [];
  for (const url of wire.urlList ?? []) if (url !== '') urls.push(url);
  if (urls.length === 0) return null;
  return { urls, uri: text(wire.uri), width: positive(wire.width), height: positive(wire.height) };
}

const DIAMONDS_TO_NEXT = /还差\s*(\d+)\s*抖币/;

function mapPayGrade(wire: WirePayGrade | null | undefined): PayGrade | null {
  if (wire === null || wire === undefined) return null;
  const level = Math.max(count(wire.level), 0);
  const description = text(wire.gradeDescribe);
  // Level 0 with no words is Douyin's placeholder for "no wealth level", not a real level 0.
  if (level === 0 && description === null) return null;
  return {
    level,
    name: text(wire.name),
    description,
    minDiamonds: nonNegative(wire.thisGradeMinDiamond),
    maxDiamonds: positive(wire.thisGradeMaxDiamond),
    nextDiamonds: positive(wire.nextDiamond) ?? diamondsToNext(description),
  };
}

/** "距离17级还差3抖币" → 3: Douyin often leaves next_diamond at 0 and says it in words. */
function diamondsToNext(description: string | null): number | null {
  const match = DIAMONDS_TO_NEXT.exec(description ?? '');
  return match ? Number(match[1]) : null;
}

/** A club only when it has a name: an empty name is "not a member". */
function mapFansClub(wire: WireFansClubData | null | undefined): FansClub | null {
  const name = text(wire?.clubName);
  if (wire === null || wire === undefined || name === null) return null;
  return { name, level: Math.max(wire.level ?? 0, 0), anchorId: optionalId(wire.anchorId) };
}

/** A string field, or null when Douyin left it empty. */
export function text(value: string | null | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : value;
}

/** A count, or null when it is 0 (proto3 cannot tell "none" from "not sent"). */
export function positive(value: Uint64Like): number | null {
  const n = count(value);
  return n > 0 ? n : null;
}

function nonNegative(value: Uint64Like): number | null {
  const n = count(value);
  return n >= 0 ? n : null;
}
