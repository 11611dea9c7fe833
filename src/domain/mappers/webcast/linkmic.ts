// Link-mic and PK battles: a battle starts and finishes, the teams' contributors change, and
// the link-mic session itself (invites, joins, scores) moves on.
import type { Contributor, LinkMicEvent, PkAnchor, PkBattleEvent, PkContributionEvent, PkTeam } from '../../events.ts';
import { count, optionalId, toMillis } from '../../ids.ts';
import type { User } from '../../model.ts';
import type {
  WireBattleSettings,
  WireBattleUserInfoEntry,
  WireContributorBrief,
  WireLinkerContributeMessage,
  WireLinkMicArmies,
  WireLinkMicBattle,
  WireLinkMicBattleFinish,
  WireLinkMicMethod,
  WirePayload,
} from '../../wire.ts';
import { baseEvent, eventOf, type MessageEnvelope } from './envelope.ts';
import { mapUser } from './user.ts';
import { idOrText, positive, text } from './values.ts';

/** The anchors of a starting battle, from its user_infos map. */
export function mapLinkMicBattle(wire: WireLinkMicBattle, envelope: MessageEnvelope): PkBattleEvent {
  const anchors = (wire.userInfos ?? []).map((entry): PkAnchor => ({ user: battleUser(entry), score: null, rank: null }));
  return battleEvent(wire, envelope, 'STARTED', wire.battleSettings, anchors);
}

/** The anchors of a finished battle with their scores; anchors only scored still count. */
export function mapLinkMicBattleFinish(wire: WireLinkMicBattleFinish, envelope: MessageEnvelope): PkBattleEvent {
  const users = new Map<string, User>();
  for (const anchor of wire.anchors ?? []) addUser(users, mapUser(anchor));
  for (const entry of wire.userInfos ?? []) addUser(users, battleUser(entry));
  const anchors: PkAnchor[] = [];
  const scored = new Set<string>();
  for (const score of wire.battleScores ?? []) {
    const userId = idOrText(score.userId, score.userIdStr);
    if (userId !== null) scored.add(userId);
    const user = userId === null ? null : (users.get(userId) ?? mapUser({ id: userId }));
    anchors.push({ user, score: score.score ?? 0, rank: positive(score.battleRank) });
  }
  for (const [id, user] of users) if (!scored.has(id)) anchors.push({ user, score: null, rank: null });
  return battleEvent(wire, envelope, 'FINISHED', wire.battleSettings, anchors);
}

function battleEvent(
  wire: WirePayload,
  envelope: MessageEnvelope,
  phase: PkBattleEvent['phase'],
  settings: WireBattleSettings | null | undefined,
  anchors: PkAnchor[],
): PkBattleEvent {
  return eventOf<PkBattleEvent>(baseEvent(wire.common, envelope), {
    type: 'PkBattleEvent',
    phase,
    battleId: optionalId(settings?.battleId),
    startedAt: toMillis(count(settings?.startTimeMs)),
    durationSeconds: positive(settings?.duration),
    anchors,
  });
}

function addUser(users: Map<string, User>, user: User | null): void {
  if (user !== null && !users.has(user.id)) users.set(user.id, user);
}

function battleUser(entry: WireBattleUserInfoEntry): User | null {
  const info = entry.value?.user ?? null;
  const id = idOrText(info?.userId, info?.userIdStr) ?? optionalId(entry.userId);
  return mapUser({ id, nickname: info?.nickName, avatarThumb: info?.avatarThumb });
}

/** Each anchor's army: the viewers who gave for that side, in the order Douyin ranks them. */
export function mapLinkMicArmies(wire: WireLinkMicArmies, envelope: MessageEnvelope): PkContributionEvent {
  const teams = (wire.userArmiesMap ?? []).map(
    (entry): PkTeam => ({
      anchorId: optionalId(entry.anchorId),
      totalScore: null,
      contributors: contributors(entry.value?.userArmies),
    }),
  );
  return eventOf<PkContributionEvent>(baseEvent(wire.common, envelope), { type: 'PkContributionEvent', teams });
}

/** One linked anchor's (or guest's) contributors and total. */
export function mapLinkerContribute(wire: WireLinkerContributeMessage, envelope: MessageEnvelope): PkContributionEvent {
  const team: PkTeam = {
    anchorId: optionalId(wire.userId),
    totalScore: count(wire.totalScore),
    contributors: contributors(wire.userContributeList),
  };
  return eventOf<PkContributionEvent>(baseEvent(wire.common, envelope), { type: 'PkContributionEvent', teams: [team] });
}

function contributors(list: WireContributorBrief[] | null | undefined): Contributor[] {
  return (list ?? []).map((entry, index) => ({
    rank: positive(entry.rank) ?? index + 1,
    score: count(entry.score),
    user: mapUser({ id: entry.userId, nickname: entry.nickname, avatarThumb: entry.avatarThumb }),
  }));
}

export function mapLinkMicMethod(wire: WireLinkMicMethod, envelope: MessageEnvelope): LinkMicEvent {
  const linkedUsers: User[] = [];
  for (const user of wire.linkedUsers ?? []) addTo(linkedUsers, mapUser(user));
  return eventOf<LinkMicEvent>(baseEvent(wire.common, envelope), {
    type: 'LinkMicEvent',
    messageType: count(wire.messageType),
    battleId: optionalId(wire.battleId),
    channelId: optionalId(wire.channelId),
    fromUserId: optionalId(wire.fromUserId),
    toUserId: optionalId(wire.toUserId),
    linkedUsers,
    scores: (wire.userScores ?? []).flatMap((score) => {
      const userId = optionalId(score.userId);
      return userId === null ? [] : [{ userId, score: count(score.score) }];
    }),
    text: text(wire.tips) ?? text(wire.prompts),
  });
}

function addTo(users: User[], user: User | null): void {
  if (user !== null) users.push(user);
}
