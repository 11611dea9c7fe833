// Which message comes next. A room's stream mixes audience actions in proportions close to
// the 2026 measurements (chat dominates, then joins, likes, banners, gifts, then the room-page
// messages of the S13-live capture: state syncs, the hourly-rank entrance, gift-panel order…);
// viewer counts, stats and rank updates also come on their own timers when traffic runs by
// the clock. PK battles, red envelopes and polls are stories over several messages (the room
// model keeps their state), rarer than the rest.
import type { MessageKind } from './ground-truth.ts';
import { chat, emojiChat, fansClub, follow, like, member, share } from './generators/audience.ts';
import { liveShopping, productChange, purchase } from './generators/commerce.ts';
import type { GenerateContext, GeneratedMessage } from './generators/context.ts';
import { gift } from './generators/gifts.ts';
import { chatLike, deleteChat, hotChat, pinChat, screenChat } from './generators/chat-extras.ts';
import { linkMic, pkArmies, pkBattle, pkContribute } from './generators/linkmic.ts';
import { giftPoll, redEnvelope } from './generators/rewards.ts';
import { fanTicket, giftSort, guestPolicy, hotRoom, hourRank, lowAudienceGuide, roomSync, streamLayout } from './generators/room-page.ts';
import { inRoomBanner, liveEnded, roomIntro, roomNotice, roomRank, roomStats, viewerCount } from './generators/room-state.ts';
import type { RoomModel } from './room-model.ts';

const GENERATORS: Record<MessageKind, (ctx: GenerateContext) => GeneratedMessage> = {
  chat,
  emoji: emojiChat,
  member,
  like,
  follow,
  share,
  gift,
  viewers: viewerCount,
  stats: roomStats,
  fansclub: fansClub,
  rank: roomRank,
  product: productChange,
  shopping: liveShopping,
  purchase,
  intro: roomIntro,
  notice: roomNotice,
  banner: inRoomBanner,
  sync: roomSync,
  hourRank,
  giftSort,
  layout: streamLayout,
  hotRoom,
  guest: guestPolicy,
  lowPcu: lowAudienceGuide,
  fanTicket,
  hotChat,
  chatLike,
  screenChat,
  pin: pinChat,
  deleted: deleteChat,
  redEnvelope,
  poll: giftPoll,
  pk: pkBattle,
  pkArmies,
  pkContribute,
  linkMic,
  control: liveEnded,
};

/** Relative frequency of each kind among audience-driven messages. */
const AUDIENCE_MIX: readonly (readonly [MessageKind, number])[] = [
  ['chat', 36],
  ['member', 16],
  ['like', 10],
  ['gift', 10],
  ['banner', 4],
  ['emoji', 3],
  ['follow', 3],
  ['fansclub', 2],
  ['share', 1.5],
  ['product', 0.4],
  ['shopping', 0.8],
  ['purchase', 1.2],
  ['notice', 0.5],
  ['intro', 0.3],
  // S13-live: 34 syncs, 32 hourly-rank entrances, 32 gift-panel orders, 6 hot chats, 5 layout,
  // 3 hot-room, 2 guest-policy, 2 chat-like, 2 lucky-box, 1 low-audience hint per 215 chats.
  ['sync', 3],
  ['hourRank', 2.5],
  ['giftSort', 2.5],
  ['hotChat', 0.6],
  ['layout', 0.4],
  ['hotRoom', 0.3],
  ['guest', 0.2],
  ['chatLike', 0.3],
  ['redEnvelope', 0.4],
  ['lowPcu', 0.1],
  // Not in the recordings (anonymous, no battle): fan tickets follow gifts; the rest are rare.
  ['fanTicket', 1],
  ['screenChat', 0.3],
  ['pin', 0.1],
  ['deleted', 0.1],
  ['poll', 0.3],
  ['pk', 0.15],
  ['pkArmies', 1.2],
  ['pkContribute', 0.5],
  ['linkMic', 0.3],
];

/** Kinds that also come on timers when the clock drives traffic. */
const PERIODIC_MIX: readonly (readonly [MessageKind, number])[] = [
  ['viewers', 3],
  ['stats', 3],
  ['rank', 1.5],
];

/** Every kind except the end-of-live control, for stepping a room by hand. */
export const FULL_MIX = [...AUDIENCE_MIX, ...PERIODIC_MIX];

export { AUDIENCE_MIX };

/** Rooms without goods send no e-commerce messages. */
const NEEDS_PRODUCTS: ReadonlySet<MessageKind> = new Set(['product', 'shopping', 'purchase']);
/** Armies and contributions only come while a PK battle runs. */
const NEEDS_BATTLE: ReadonlySet<MessageKind> = new Set(['pkArmies', 'pkContribute']);

export function kindAvailable(kind: MessageKind, room: RoomModel): boolean {
  if (NEEDS_BATTLE.has(kind)) return room.pk !== null;
  return !NEEDS_PRODUCTS.has(kind) || room.products.length > 0;
}

export function chooseKind(ctx: GenerateContext, mix: readonly (readonly [MessageKind, number])[]): MessageKind {
  return ctx.prng.weighted(mix.map(([kind, weight]) => [kind, kindAvailable(kind, ctx.room) ? weight : 0] as const));
}

export function generate(kind: MessageKind, ctx: GenerateContext): GeneratedMessage {
  return GENERATORS[kind](ctx);
}

/** How often the periodic kinds come when traffic runs by the clock, ms. */
export const PERIODIC_INTERVAL_MS: Readonly<Partial<Record<MessageKind, number>>> = {
  viewers: 3_000,
  stats: 5_000,
  rank: 10_000,
};
