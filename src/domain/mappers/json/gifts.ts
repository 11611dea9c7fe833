import type { Gift } from '../../model.ts';
import { badShape, checkEnvelope, mapped, type Mapped } from './envelope.ts';
import { mapImage } from './image.ts';
import { flag, idOf, int, list, nonNegative, record, text } from './values.ts';

function mapGift(value: unknown): Gift | null {
  const gift = record(value);
  const id = idOf(gift);
  if (gift === null || id === null) return null;
  return {
    id,
    name: text(gift.name) ?? '',
    diamondCount: nonNegative(gift.diamond_count) ?? 0,
    combo: flag(gift.combo),
    image: mapImage(gift.image) ?? mapImage(gift.icon),
    type: int(gift.type),
  };
}

/** gift/list: `data.gifts[]`, the room's (or the platform's) gift catalogue. */
export function mapGiftList(body: unknown): Mapped<Gift[]> {
  const envelope = checkEnvelope(body);
  if (!envelope.ok) return envelope;
  const data = record(envelope.value.data);
  if (data === null || !Array.isArray(data.gifts)) return badShape('gift/list answered without data.gifts');
  return mapped(list(data.gifts).flatMap((gift) => mapGift(gift) ?? []));
}
