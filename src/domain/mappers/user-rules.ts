// The rules a Douyin user follows into the domain whichever way it arrived (web JSON or
// webcast protobuf): the mappers in json/ and webcast/ only read their own field spellings.
import type { AvatarSize, Gender, Image, PayGrade } from '../model.ts';

const GENDERS: Record<number, Gender> = { 1: 'MALE', 2: 'FEMALE' };

export function genderOf(code: number | null | undefined): Gender {
  return GENDERS[code ?? 0] ?? 'UNKNOWN';
}

export function avatarSizesOf(small: Image | null, medium: Image | null, large: Image | null): Partial<Record<AvatarSize, Image>> | null {
  if (small === null && medium === null && large === null) return null;
  const sizes: Partial<Record<AvatarSize, Image>> = {};
  if (small !== null) sizes.SMALL = small;
  if (medium !== null) sizes.MEDIUM = medium;
  if (large !== null) sizes.LARGE = large;
  return sizes;
}

/** The pay grade as read, or null for Douyin's placeholder of none. */
export function payGradeOf(fields: PayGrade): PayGrade | null {
  const { level, description } = fields;
  // Level 0 with no words is Douyin's placeholder for "no wealth level", not a real level 0.
  if (level === 0 && description === null) return null;
  return {
    level,
    name: fields.name,
    description,
    minDiamonds: fields.minDiamonds,
    maxDiamonds: positiveOrNull(fields.maxDiamonds),
    nextDiamonds: positiveOrNull(fields.nextDiamonds) ?? diamondsToNext(description),
  };
}

/** "距离17级还差3抖币" → 3: Douyin often leaves next_diamond at 0 and says it in words. */
const DIAMONDS_TO_NEXT = /还差\s*(\d+)\s*抖币/;

function diamondsToNext(description: string | null): number | null {
  const match = DIAMONDS_TO_NEXT.exec(description ?? '');
  return match ? Number(match[1]) : null;
}

function positiveOrNull(value: number | null): number | null {
  return value !== null && value > 0 ? value : null;
}
