// Red envelopes (lucky boxes) and gift polls, each a small story the room tells over several
// messages: an envelope is sent, changes state, pays out and ends; a poll's votes grow until it
// closes and a new one starts.
import { GIFT_CATALOG } from '../gift-catalog.ts';
import { encodeProto } from '../proto.ts';
import type { GiftPoll, RedEnvelope } from '../room-model.ts';
import type { GenerateContext, GeneratedMessage } from './context.ts';
import { commonBody, pickViewer, userBody } from './proto-bodies.ts';

const ENVELOPE_DIAMONDS = [66, 100, 188, 520, 1000] as const;

/** The current envelope's next message; a new envelope once the last one ended. */
export function redEnvelope(ctx: GenerateContext): GeneratedMessage {
  const room = ctx.room;
  const envelope: RedEnvelope = room.redEnvelope ?? {
    id: ctx.nextId(),
    sender: pickViewer(ctx, 3),
    diamonds: ctx.prng.pick(ENVELOPE_DIAMONDS),
    step: 0,
  };
  room.redEnvelope = envelope.step >= 3 ? null : { ...envelope, step: envelope.step + 1 };
  if (envelope.step === 0) return sent(ctx, envelope);
  if (envelope.step === 1) return phaseOnly(ctx, 'WebcastLuckyBoxTempStatusMessage', 'LuckyBoxTempStatusMessage', {});
  if (envelope.step === 2) {
    const winners = [pickViewer(ctx).id, pickViewer(ctx).id];
    return phaseOnly(ctx, 'WebcastLuckyBoxRewardMessage', 'LuckyBoxRewardMessage', {
      box_id: envelope.id,
      box_id_str: envelope.id,
      rewarded_user_id: winners,
      reward_message_type: 1,
    });
  }
  return phaseOnly(ctx, 'WebcastLuckyBoxEndMessage', 'LuckyBoxEndMessage', { box_id: envelope.id, box_id_str: envelope.id });
}

function sent(ctx: GenerateContext, envelope: RedEnvelope): GeneratedMessage {
  const method = 'WebcastLuckyBoxMessage';
  const msgId = ctx.nextId();
  const payload = encodeProto('LuckyBoxMessage', {
    common: commonBody(ctx, method, msgId),
    diamond_count: envelope.diamonds,
    box_id: envelope.id,
    send_time: String(Math.floor(ctx.nowMs / 1000)),
    delay_time: 60,
    box_type: 1,
    title: `${envelope.sender.nickname}的红包`,
    user: userBody(ctx, envelope.sender),
    box_id_str: envelope.id,
  });
  return { kind: 'redEnvelope', method, msgId, payload, userId: envelope.sender.id };
}

function phaseOnly(ctx: GenerateContext, method: string, typeName: string, fields: Record<string, unknown>): GeneratedMessage {
  const msgId = ctx.nextId();
  const payload = encodeProto(typeName, { common: commonBody(ctx, method, msgId), ...fields });
  return { kind: 'redEnvelope', method, msgId, payload, userId: null };
}

const POLL_TOPICS = [['唱歌', '跳舞'], ['继续', '下播'], ['猫', '狗']] as const;
const POLL_SECONDS = 120;

/** The running poll's votes so far; past its end it closes (msg_type 3) and the next one opens. */
export function giftPoll(ctx: GenerateContext): GeneratedMessage {
  const method = 'WebcastGiftVoteMessage';
  const msgId = ctx.nextId();
  const room = ctx.room;
  const opening = room.poll === null;
  const poll: GiftPoll = room.poll ?? newPoll(ctx);
  const closing = !opening && ctx.nowMs >= poll.endsAt;
  if (!opening && !closing) for (const option of poll.options) option.votes += ctx.prng.int(0, 12);
  room.poll = closing ? null : poll;
  const payload = encodeProto('GiftVoteMessage', {
    common: commonBody(ctx, method, msgId),
    msg_type: opening ? 1 : closing ? 3 : 2,
    vote_id: poll.id,
    results: poll.options.map((option) => ({
      text: option.text,
      count: option.votes,
      gift_id: option.gift.id,
      name: option.gift.name,
      diamond_count: option.gift.diamondCount,
      count_str: String(option.votes),
    })),
    finish_time: String(Math.floor(poll.endsAt / 1000)),
    current_time: String(Math.floor(ctx.nowMs / 1000)),
    vote_type: 1,
  });
  return { kind: 'poll', method, msgId, payload, userId: null };
}

function newPoll(ctx: GenerateContext): GiftPoll {
  const texts = ctx.prng.pick(POLL_TOPICS);
  const gifts = GIFT_CATALOG.filter((gift) => gift.diamondCount === 1 && gift.combo);
  return {
    id: ctx.nextId(),
    options: texts.map((text, i) => ({ text, gift: gifts[i % gifts.length]!, votes: 0 })),
    endsAt: ctx.nowMs + POLL_SECONDS * 1000,
  };
}
