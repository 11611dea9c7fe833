// Link-mic and PK battles: a battle against another anchor starts, both sides' armies and
// contributions grow while it runs, and it finishes with the final scores. Link-mic session
// messages come with or without a battle.
import { makeUser, type SimUser } from '../people.ts';
import { encodeProto } from '../proto.ts';
import { rankedContributions, type PkBattle } from '../room-model.ts';
import type { GenerateContext, GeneratedMessage } from './context.ts';
import { commonBody, imageBody, pickViewer, userBody } from './proto-bodies.ts';

const BATTLE_SECONDS = 300;

/**
 * Starts a battle, or finishes the running one. The traffic mix makes this kind rare next to
 * the armies and contributions, so a battle carries a dozen score updates on average.
 */
export function pkBattle(ctx: GenerateContext): GeneratedMessage {
  const battle = ctx.room.pk;
  return battle === null ? startBattle(ctx) : finishBattle(ctx, battle);
}

function startBattle(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastLinkMicBattleMethod';
  const msgId = ctx.nextId();
  const battleId = ctx.nextId();
  const battle: PkBattle = {
    battleId,
    channelId: ctx.nextId(),
    rival: makeUser(ctx.prng.fork(`rival:${battleId}`)),
    startedAt: ctx.nowMs,
    durationSeconds: BATTLE_SECONDS,
    ownScore: 0,
    rivalScore: 0,
  };
  ctx.room.pk = battle;
  const payload = encodeProto('LinkMicBattle', {
    common: commonBody(ctx, method, msgId),
    battle_settings: settings(battle),
    user_infos: [ctx.room.anchor, battle.rival].map((anchor) => ({ user_id: anchor.id, value: { user: baseUser(ctx, anchor) } })),
    battle_type: 1,
  });
  return { kind: 'pk', method, msgId, payload, userId: null };
}

function finishBattle(ctx: GenerateContext, battle: PkBattle): GeneratedMessage {
  const method = 'WebcastLinkMicBattleFinishMethod';
  const msgId = ctx.nextId();
  ctx.room.pk = null;
  const own = ctx.room.anchor;
  const ownWins = battle.ownScore >= battle.rivalScore;
  const payload = encodeProto('LinkMicBattleFinish', {
    common: commonBody(ctx, method, msgId),
    battle_settings: { ...settings(battle), finished: 1 },
    battle_scores: [
      { score: battle.ownScore, user_id: own.id, user_id_str: own.id, battle_rank: ownWins ? 1 : 2 },
      { score: battle.rivalScore, user_id: battle.rival.id, user_id_str: battle.rival.id, battle_rank: ownWins ? 2 : 1 },
    ],
    anchors: [userBody(ctx, own), userBody(ctx, battle.rival)],
    end_reason: 1,
  });
  return { kind: 'pk', method, msgId, payload, userId: null };
}

function settings(battle: PkBattle): Record<string, unknown> {
  return {
    battle_id: battle.battleId,
    start_time_ms: String(battle.startedAt),
    duration: battle.durationSeconds,
    channel_id: battle.channelId,
    match_type: 1,
  };
}

function baseUser(ctx: GenerateContext, user: SimUser): Record<string, unknown> {
  return { user_id: user.id, nick_name: user.nickname, avatar_thumb: imageBody(ctx, `100x100/${user.avatarUri}`), user_id_str: user.id };
}

/** Both sides' top givers; each message adds to both scores. Needs a running battle. */
export function pkArmies(ctx: GenerateContext): GeneratedMessage {
  const battle = runningBattle(ctx);
  const method = 'WebcastLinkMicArmiesMethod';
  const msgId = ctx.nextId();
  battle.ownScore += ctx.prng.int(0, 300);
  battle.rivalScore += ctx.prng.int(0, 300);
  const ownSide = topGivers(ctx).map((user, i) => army(ctx, user, Math.round(battle.ownScore / (i + 2))));
  const rivalSide = [army(ctx, pickViewer(ctx), Math.round(battle.rivalScore / 2))];
  const payload = encodeProto('LinkMicArmies', {
    common: commonBody(ctx, method, msgId),
    user_armies_map: [
      { anchor_id: ctx.room.anchor.id, value: { user_armies: ownSide } },
      { anchor_id: battle.rival.id, value: { user_armies: rivalSide } },
    ],
    top_show_text: '本场贡献榜',
  });
  return { kind: 'pkArmies', method, msgId, payload, userId: null };
}

function army(ctx: GenerateContext, user: SimUser, score: number): Record<string, unknown> {
  return { user_id: user.id, score, nickname: user.nickname, avatar_thumb: imageBody(ctx, `100x100/${user.avatarUri}`) };
}

/** The room's top givers, or a random viewer when nobody gave yet. */
function topGivers(ctx: GenerateContext): SimUser[] {
  const top = rankedContributions(ctx.room).slice(0, 3).map((entry) => entry.user);
  return top.length > 0 ? top : [pickViewer(ctx)];
}

/** The anchor's side: total score and who gave it. Needs a running battle. */
export function pkContribute(ctx: GenerateContext): GeneratedMessage {
  const battle = runningBattle(ctx);
  const method = 'WebcastLinkerContributeMessage';
  const msgId = ctx.nextId();
  const payload = encodeProto('LinkerContributeMessage', {
    common: commonBody(ctx, method, msgId),
    user_id: ctx.room.anchor.id,
    total_score: battle.ownScore,
    user_contribute_list: topGivers(ctx).map((user, i) => ({
      user_id: user.id,
      rank: i + 1,
      score: Math.round(battle.ownScore / (i + 2)),
      nickname: user.nickname,
    })),
    total_score_str: String(battle.ownScore),
  });
  return { kind: 'pkContribute', method, msgId, payload, userId: null };
}

function runningBattle(ctx: GenerateContext): PkBattle {
  if (ctx.room.pk === null) throw new Error('a PK message needs a running battle (traffic.ts checks kindAvailable)');
  return ctx.room.pk;
}

/** A link-mic session update; during a battle it carries both anchors' scores. */
export function linkMic(ctx: GenerateContext): GeneratedMessage {
  const method = 'LinkMicMethod';
  const msgId = ctx.nextId();
  const battle = ctx.room.pk;
  const anchor = ctx.room.anchor;
  const payload = encodeProto('LinkMicMethod', {
    common: commonBody(ctx, method, msgId),
    message_type: battle === null ? 2 : 6,
    user_id: anchor.id,
    channel_id: battle?.channelId ?? ctx.nextId(),
    from_user_id: anchor.id,
    to_user_id: battle?.rival.id ?? '0',
    user_scores: battle === null ? [] : [
      { score: battle.ownScore, user_id: anchor.id },
      { score: battle.rivalScore, user_id: battle.rival.id },
    ],
    tips: battle === null ? '主播正在邀请连线' : '连线PK中',
    linked_users: battle === null ? [] : [userBody(ctx, battle.rival)],
    battle_id: battle?.battleId ?? '0',
  });
  return { kind: 'linkMic', method, msgId, payload, userId: null };
}
