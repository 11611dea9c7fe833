// Event types for link-mic sessions and PK battles between anchors.
import type { LinkMicEvent, LinkMicScore, PkAnchor, PkBattleEvent, PkContributionEvent, PkTeam } from '../domain/events.ts';
import { builder } from './builder.ts';
import { ContributorRef, RoomEventRef } from './events.ts';
import { UserRef } from './user.ts';

const PkPhaseEnum = builder.enumType('PkPhase', {
  values: {
    STARTED: { description: 'The battle began (WebcastLinkMicBattleMethod).' },
    FINISHED: { description: 'The battle is over, with the final scores (WebcastLinkMicBattleFinishMethod).' },
  } as const,
});

const PkAnchorRef = builder.objectRef<PkAnchor>('PkAnchor').implement({
  fields: (t) => ({
    user: t.expose('user', { type: UserRef, nullable: true }),
    score: t.exposeInt('score', { nullable: true, description: "The anchor's score, once the battle is scored." }),
    rank: t.exposeInt('rank', { nullable: true }),
  }),
});

builder.objectRef<PkBattleEvent>('PkBattleEvent').implement({
  description: 'A PK battle between linked anchors started or finished.',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    // Not `phase`: GiftEvent.phase is another enum, and one query selecting both would conflict.
    battlePhase: t.expose('phase', { type: PkPhaseEnum }),
    battleId: t.exposeID('battleId', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    durationSeconds: t.exposeInt('durationSeconds', { nullable: true, description: 'Planned length.' }),
    anchors: t.expose('anchors', { type: [PkAnchorRef] }),
  }),
});

const PkTeamRef = builder.objectRef<PkTeam>('PkTeam').implement({
  fields: (t) => ({
    anchorId: t.exposeID('anchorId', { nullable: true, description: 'The anchor this side supports.' }),
    totalScore: t.expose('totalScore', { type: 'SafeInt', nullable: true }),
    contributors: t.expose('contributors', { type: [ContributorRef] }),
  }),
});

builder.objectRef<PkContributionEvent>('PkContributionEvent').implement({
  description:
    'Who gives for which side in a PK battle (WebcastLinkMicArmiesMethod, WebcastLinkerContributeMessage).',
  interfaces: [RoomEventRef],
  fields: (t) => ({ teams: t.expose('teams', { type: [PkTeamRef] }) }),
});

const LinkMicScoreRef = builder.objectRef<LinkMicScore>('LinkMicScore').implement({
  fields: (t) => ({ userId: t.exposeID('userId'), score: t.expose('score', { type: 'SafeInt' }) }),
});

builder.objectRef<LinkMicEvent>('LinkMicEvent').implement({
  description: 'The link-mic session moved on: an invite, a reply, someone joined or left, scores (LinkMicMethod).',
  interfaces: [RoomEventRef],
  fields: (t) => ({
    messageType: t.exposeInt('messageType', { description: "Douyin's link-mic message type." }),
    battleId: t.exposeID('battleId', { nullable: true }),
    channelId: t.exposeID('channelId', { nullable: true }),
    fromUserId: t.exposeID('fromUserId', { nullable: true }),
    toUserId: t.exposeID('toUserId', { nullable: true }),
    linkedUsers: t.expose('linkedUsers', { type: [UserRef] }),
    scores: t.expose('scores', { type: [LinkMicScoreRef] }),
    text: t.exposeString('text', { nullable: true }),
  }),
});
