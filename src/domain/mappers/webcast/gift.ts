// Gift messages → GiftEvent. The phase and counts come from this one message; the collectors'
// gift ledger corrects delta and totals across a combo (protocol §5.7).
import type { GiftEvent, GiftPhase } from '../../events.ts';
import { count, decimal, optionalId, type Uint64Like } from '../../ids.ts';
import type { Gift } from '../../model.ts';
import type { WireGiftMessage, WireGiftStruct } from '../../wire.ts';
import { baseEvent, eventOf, type MessageEnvelope } from './envelope.ts';
import { mapImage, mapUser } from './user.ts';

export function mapGift(wire: WireGiftMessage, envelope: MessageEnvelope): GiftEvent {
  const gift = giftOf(wire);
  const repeatCount = count(wire.repeatCount);
  const groupCount = count(wire.groupCount);
  const repeatEnd = wire.repeatEnd === 1;
  const totalCount = repeatCount * Math.max(groupCount, 1);
  return eventOf<GiftEvent>(baseEvent(wire.common, envelope, { user: wire.user }), {
    type: 'GiftEvent',
    gift,
    toUser: mapUser(wire.toUser),
    groupId: decimal(wire.groupId),
    repeatCount,
    groupCount,
    repeatEnd,
    phase: giftPhase(repeatEnd, repeatCount),
    deltaCount: repeatCount,
    totalCount,
    totalDiamonds: totalCount * gift.diamondCount,
  });
}

export function giftPhase(repeatEnd: boolean, repeatCount: number): GiftPhase {
  if (repeatEnd) return 'FINAL';
  return repeatCount <= 1 ? 'STARTED' : 'PROGRESS';
}

function giftOf(wire: WireGiftMessage): Gift {
  return mapGiftStruct(wire.gift, wire.giftId);
}

/** A gift as a GiftStruct describes it; `fallbackId` when the struct has no id. */
export function mapGiftStruct(wire: WireGiftStruct | null | undefined, fallbackId: Uint64Like = null): Gift {
  const struct = wire ?? null;
  return {
    id: optionalId(struct?.id) ?? decimal(fallbackId),
    name: struct?.name ?? '',
    // int32 on the wire: a negative price is corrupt, not a refund.
    diamondCount: Math.max(struct?.diamondCount ?? 0, 0),
    combo: struct?.combo === true,
    image: mapImage(struct?.image) ?? mapImage(struct?.icon),
    type: struct === null ? null : (struct.type ?? 0),
  };
}
