// What viewers do: likes, joins, follows, shares, fan-club events.
import type { FansClubEvent, FollowEvent, LikeEvent, MemberJoinedEvent, ShareEvent } from '../../events.ts';
import { count } from '../../ids.ts';
import type { WireFansclubMessage, WireLikeMessage, WireMemberMessage, WireSocialMessage } from '../../wire.ts';
import { baseEvent, eventOf, type MessageEnvelope } from './envelope.ts';
import { positive } from './values.ts';

export function mapLike(wire: WireLikeMessage, envelope: MessageEnvelope): LikeEvent {
  return eventOf<LikeEvent>(baseEvent(wire.common, envelope, { user: wire.user }), {
    type: 'LikeEvent',
    count: count(wire.count),
    total: count(wire.total),
  });
}

export function mapMember(wire: WireMemberMessage, envelope: MessageEnvelope): MemberJoinedEvent {
  return eventOf<MemberJoinedEvent>(baseEvent(wire.common, envelope, { user: wire.user }), {
    type: 'MemberJoinedEvent',
    memberCount: positive(wire.memberCount),
  });
}

const SOCIAL_FOLLOW = 1;
const SOCIAL_SHARE = 3;

// A Map, not an object literal: share_target is upstream text and must not reach the prototype.
const SHARE_TARGETS = new Map([
  ['1', 'WECHAT'],
  ['2', 'MOMENTS'],
  ['3', 'WEIBO'],
  ['4', 'QZONE'],
  ['5', 'QQ'],
  ['112', 'DOUYIN_FRIENDS'],
]);

/** Follow (action 1) or share (action 3); null for actions the model does not name. */
export function mapSocial(wire: WireSocialMessage, envelope: MessageEnvelope): FollowEvent | ShareEvent | null {
  const action = count(wire.action);
  const base = baseEvent(wire.common, envelope, { user: wire.user });
  if (action === SOCIAL_FOLLOW) return eventOf<FollowEvent>(base, { type: 'FollowEvent', followerCount: positive(wire.followCount) });
  if (action === SOCIAL_SHARE) {
    const target = shareTarget(wire.shareTarget);
    return eventOf<ShareEvent>(base, { type: 'ShareEvent', target, shareCount: positive(wire.shareTotalCount) });
  }
  return null;
}

export function shareTarget(wireTarget: string | null | undefined): string {
  return SHARE_TARGETS.get((wireTarget ?? '').trim()) ?? 'OTHER';
}

const FANSCLUB_ACTIONS: Record<number, FansClubEvent['action']> = { 1: 'LEVEL_UP', 2: 'JOINED' };

export function mapFansclub(wire: WireFansclubMessage, envelope: MessageEnvelope): FansClubEvent {
  const base = baseEvent(wire.common, envelope, { user: wire.user });
  return eventOf<FansClubEvent>(base, {
    type: 'FansClubEvent',
    action: FANSCLUB_ACTIONS[wire.action ?? 0] ?? 'OTHER',
    content: wire.content ?? '',
    level: base.user?.fansClub?.level ?? null,
  });
}
