// Room-level messages: broadcast status, viewer counts, stats, ranks, notices and the intro.
import type {
  Contributor,
  RankUpdateEvent,
  RoomIntroEvent,
  RoomNoticeEvent,
  RoomStatsEvent,
  RoomStatusEvent,
  ViewerCountEvent,
} from '../../events.ts';
import { count } from '../../ids.ts';
import type { RoomStatus } from '../../model.ts';
import type {
  WireControlMessage,
  WireRoomIntroMessage,
  WireRoomMessage,
  WireRoomRankMessage,
  WireRoomStatsMessage,
  WireRoomUserSeqMessage,
} from '../../wire.ts';
import { baseEvent, eventOf, type MessageEnvelope } from './envelope.ts';
import { mapUser } from './user.ts';
import { positive, text } from './values.ts';

// 3 is the one value every source agrees on; 1/2 come from TikTok's enum, 4 is a platform ban.
const CONTROL_STATUS: Record<number, RoomStatus> = { 1: 'PAUSED', 2: 'LIVE', 3: 'ENDED', 4: 'ENDED' };

export function mapControl(wire: WireControlMessage, envelope: MessageEnvelope): RoomStatusEvent {
  const action = count(wire.action);
  return eventOf<RoomStatusEvent>(baseEvent(wire.common, envelope), {
    type: 'RoomStatusEvent',
    status: CONTROL_STATUS[action] ?? 'UNKNOWN',
    action,
    reason: text(wire.tips) ?? text(wire.common?.describe),
  });
}

/** total is the exact number watching now; the *_for_anchor strings are Douyin's rounded text. */
export function mapRoomUserSeq(wire: WireRoomUserSeqMessage, envelope: MessageEnvelope): ViewerCountEvent {
  return eventOf<ViewerCountEvent>(baseEvent(wire.common, envelope), {
    type: 'ViewerCountEvent',
    current: count(wire.total),
    total: positive(wire.totalUser),
    currentText: text(wire.onlineUserForAnchor),
    totalText: text(wire.totalPvForAnchor),
    topContributors: (wire.ranks ?? []).map(
      (rank): Contributor => ({ rank: count(rank.rank), score: count(rank.score), user: mapUser(rank.user) }),
    ),
  });
}

const STATS_KINDS: Record<number, RoomStatsEvent['kind']> = { 1: 'ONLINE', 3: 'CUMULATIVE' };

export function mapRoomStats(wire: WireRoomStatsMessage, envelope: MessageEnvelope): RoomStatsEvent {
  return eventOf<RoomStatsEvent>(baseEvent(wire.common, envelope), {
    type: 'RoomStatsEvent',
    value: count(wire.displayValue),
    kind: STATS_KINDS[count(wire.displayType)] ?? 'OTHER',
    displayShort: text(wire.displayShort),
    displayLong: text(wire.displayLong),
  });
}

/** The top viewers as the room shows them; the wire list is in rank order and has no rank field. */
export function mapRoomRank(wire: WireRoomRankMessage, envelope: MessageEnvelope): RankUpdateEvent {
  return eventOf<RankUpdateEvent>(baseEvent(wire.common, envelope), {
    type: 'RankUpdateEvent',
    entries: (wire.ranks ?? []).map((entry, index) => ({
      rank: index + 1,
      user: mapUser(entry.user),
      scoreText: text(entry.scoreStr),
    })),
  });
}

export function mapRoomNotice(wire: WireRoomMessage, envelope: MessageEnvelope): RoomNoticeEvent {
  return eventOf<RoomNoticeEvent>(baseEvent(wire.common, envelope), { type: 'RoomNoticeEvent', content: wire.content ?? '' });
}

export function mapRoomIntro(wire: WireRoomIntroMessage, envelope: MessageEnvelope): RoomIntroEvent {
  return eventOf<RoomIntroEvent>(baseEvent(wire.common, envelope, { user: wire.user }), {
    type: 'RoomIntroEvent',
    intro: wire.intro ?? '',
    labels: [...(wire.label ?? [])],
  });
}
