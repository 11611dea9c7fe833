// Event types for red envelopes (Douyin's lucky boxes) and gift polls.
import type { PollEvent, PollOption, RedEnvelopeEvent } from '../domain/events.ts';
import { builder } from './builder.ts';
import { RoomEventRef } from './events.ts';

const RedEnvelopePhaseEnum = builder.enumType('RedEnvelopePhase', {
  values: {
    SENT: { description: 'Someone sent a red envelope (WebcastLuckyBoxMessage); `user` is the sender.' },
    STATUS: { description: "A red envelope's state changed (WebcastLuckyBoxTempStatusMessage)." },
    ENDED: { description: 'A red envelope is over (WebcastLuckyBoxEndMessage).' },
    REWARDED: { description: 'A red envelope was opened and paid out (WebcastLuckyBoxRewardMessage).' },
  } as const,
});

builder.objectRef<RedEnvelopeEvent>('RedEnvelopeEvent').implement({
  description: 'A red envelope (lucky box) was sent, changed, ended or paid out.',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    // Not `phase`: GiftEvent.phase is another enum, and one query selecting both would conflict.
    envelopePhase: t.expose('phase', { type: RedEnvelopePhaseEnum }),
    envelopeId: t.exposeID('envelopeId', { nullable: true }),
    diamondCount: t.expose('diamondCount', { type: 'SafeInt', nullable: true, description: 'Diamonds in it, when sent.' }),
    title: t.exposeString('title', { nullable: true }),
    winnerIds: t.exposeIDList('winnerIds', { description: 'User ids of who won something (REWARDED).' }),
  }),
});

const PollOptionRef = builder.objectRef<PollOption>('PollOption').implement({
  fields: (t) => ({
    text: t.exposeString('text', { nullable: true }),
    votes: t.expose('votes', { type: 'SafeInt' }),
    giftId: t.exposeID('giftId', { nullable: true, description: 'The gift that votes for this option.' }),
    giftName: t.exposeString('giftName', { nullable: true }),
    diamondCount: t.expose('diamondCount', { type: 'SafeInt', nullable: true, description: "The gift's price." }),
  }),
});

builder.objectRef<PollEvent>('PollEvent').implement({
  description: 'A poll viewers vote in by sending gifts (WebcastGiftVoteMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    pollId: t.exposeID('pollId'),
    messageType: t.exposeInt('messageType', { description: "Douyin's poll message type (start, update, end…)." }),
    options: t.expose('options', { type: [PollOptionRef] }),
    endsAt: t.expose('endsAt', { type: 'DateTime', nullable: true }),
  }),
});
