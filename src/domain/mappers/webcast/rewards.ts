// Red envelopes (Douyin's "lucky boxes": sent, status, ended, rewarded) and gift polls.
import type { PollEvent, RedEnvelopeEvent, RedEnvelopePhase } from '../../events.ts';
import { count, isDecimalUint64, optionalId, toMillis } from '../../ids.ts';
import type {
  WireGiftVoteMessage,
  WireLuckyBoxEndMessage,
  WireLuckyBoxMessage,
  WireLuckyBoxRewardMessage,
  WirePayload,
} from '../../wire.ts';
import { baseEvent, eventOf, type MessageEnvelope } from './envelope.ts';
import { idOrText, positive, text } from './values.ts';

export function mapLuckyBox(wire: WireLuckyBoxMessage, envelope: MessageEnvelope): RedEnvelopeEvent {
  return eventOf<RedEnvelopeEvent>(baseEvent(wire.common, envelope, { user: wire.user }), {
    type: 'RedEnvelopeEvent',
    phase: 'SENT',
    envelopeId: idOrText(wire.boxId, wire.boxIdStr),
    diamondCount: positive(wire.diamondCount),
    title: text(wire.title),
    winnerIds: [],
  });
}

/** LuckyBoxTempStatusMessage carries Common only: a box's state changed, which one is not said. */
export function mapLuckyBoxTempStatus(wire: WirePayload, envelope: MessageEnvelope): RedEnvelopeEvent {
  return phaseOnly(wire, envelope, 'STATUS', null);
}

export function mapLuckyBoxEnd(wire: WireLuckyBoxEndMessage, envelope: MessageEnvelope): RedEnvelopeEvent {
  return phaseOnly(wire, envelope, 'ENDED', idOrText(wire.boxId, wire.boxIdStr));
}

export function mapLuckyBoxReward(wire: WireLuckyBoxRewardMessage, envelope: MessageEnvelope): RedEnvelopeEvent {
  const event = phaseOnly(wire, envelope, 'REWARDED', idOrText(wire.boxId, wire.boxIdStr));
  event.winnerIds = (wire.rewardedUserId ?? []).map((id) => id.trim()).filter(isDecimalUint64);
  return event;
}

function phaseOnly(wire: WirePayload, envelope: MessageEnvelope, phase: RedEnvelopePhase, id: string | null): RedEnvelopeEvent {
  return eventOf<RedEnvelopeEvent>(baseEvent(wire.common, envelope), {
    type: 'RedEnvelopeEvent',
    phase,
    envelopeId: id,
    diamondCount: null,
    title: null,
    winnerIds: [],
  });
}


/** A gift poll: each option is a gift, its votes the gifts sent for it. */
export function mapGiftVote(wire: WireGiftVoteMessage, envelope: MessageEnvelope): PollEvent {
  return eventOf<PollEvent>(baseEvent(wire.common, envelope), {
    type: 'PollEvent',
    pollId: optionalId(wire.voteId) ?? '0',
    messageType: count(wire.msgType),
    options: (wire.results ?? []).map((result) => ({
      text: text(result.text),
      votes: count(result.count),
      giftId: optionalId(result.giftId),
      giftName: text(result.name),
      diamondCount: positive(result.diamondCount),
    })),
    endsAt: toMillis(count(wire.finishTime)),
  });
}
