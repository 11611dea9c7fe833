// The state of one simulated broadcast: who is on air, how many watch, what is for sale and
// who gave what. Traffic generators read and update it; the HTTP builders only read it, so
// the room info, rank list and promotions always agree with the messages sent.
import type { CatalogGift } from './gift-catalog.ts';
import { newRoomId, newWebRid } from './ids.ts';
import { fansClubName, makeAnchor, makeViewer, type SimAnchor, type SimUser } from './people.ts';
import { PRODUCT_NAMES, ROOM_TITLES } from './chat-lines.ts';
import type { Prng } from './prng.ts';

export interface Product {
  promotionId: string;
  productId: string;
  title: string;
  shortTitle: string;
  /** Prices in fen. */
  priceFen: number;
  minPriceFen: number;
  coverUri: string;
  shopId: string;
  stock: number;
  sales: number;
}

export interface Combo {
  groupId: string;
  user: SimUser;
  gift: CatalogGift;
  groupCount: number;
  repeatCount: number;
}

export interface Contribution {
  user: SimUser;
  diamonds: number;
}

/** A PK battle against another anchor, from its start message to its finish message. */
export interface PkBattle {
  battleId: string;
  channelId: string;
  rival: SimUser;
  startedAt: number;
  durationSeconds: number;
  ownScore: number;
  rivalScore: number;
}

/** A red envelope (lucky box) on its way: sent, status, paid out, ended. */
export interface RedEnvelope {
  id: string;
  sender: SimUser;
  diamonds: number;
  /** The next phase it sends: 0 sent … 3 ended. */
  step: number;
}

export interface PollOption {
  gift: CatalogGift;
  text: string;
  votes: number;
}

export interface GiftPoll {
  id: string;
  options: PollOption[];
  endsAt: number;
}

/** A chat as later messages refer to it (likes on it, a pin, a takedown). */
export interface SentChat {
  msgId: string;
  user: SimUser;
  content: string;
}

export interface RoomModel {
  roomId: string;
  webRid: string;
  title: string;
  status: 'live' | 'ended';
  startedAt: number;
  endedAt: number | null;
  anchor: SimAnchor;
  clubName: string;
  streamId: string;
  coverUri: string;
  portrait: boolean;
  /** People watching now. */
  viewers: number;
  /** People who watched this broadcast at all. */
  totalViewers: number;
  likes: number;
  shares: number;
  /** Diamonds received this broadcast. */
  fanTickets: number;
  products: Product[];
  explainingId: string | null;
  /** Per sender, diamonds given this broadcast: the rank list. */
  contributions: Map<string, Contribution>;
  /** Gift combos still running, by group_id. */
  combos: Map<string, Combo>;
  /** How many distinct viewers the room draws from. */
  audienceSize: number;
  pk: PkBattle | null;
  redEnvelope: RedEnvelope | null;
  poll: GiftPoll | null;
  /** The last few chats, newest last, for the messages that refer to one. */
  recentChats: SentChat[];
  /** Viewer #i: the same person every time (made from its own PRNG stream, or as last changed). */
  viewer(index: number): SimUser;
  /** This viewer's state changed (a gift, a fans-club level): viewer() returns it as it is now. */
  keep(user: SimUser): void;
}

export interface RoomModelSpec {
  roomId?: string;
  webRid?: string;
  title?: string;
  /** Initial online viewers. */
  viewers?: number;
  /** Whether the room sells products. */
  goods?: boolean;
  /** An existing anchor, for a new broadcast of the same person. */
  anchor?: SimAnchor;
}

export function makeProduct(prng: Prng, index: number): Product {
  const priceFen = prng.pick([990, 1990, 2990, 3990, 5990, 9900, 12900, 19900, 29900, 59900]);
  const id = `3${prng.digits(18)}`;
  const title = prng.pick(PRODUCT_NAMES);
  return {
    promotionId: id,
    productId: id,
    title,
    shortTitle: title.split(' ')[0] ?? title,
    priceFen,
    minPriceFen: prng.chance(0.5) ? priceFen : Math.round(priceFen * 0.8),
    coverUri: `temai/${prng.chars(32, '0123456789abcdef')}`,
    shopId: prng.digits(prng.pick([7, 8])),
    stock: prng.int(0, 4) === 0 ? 0 : prng.int(10, 5000),
    sales: prng.int(0, 20000) + index,
  };
}

export function createRoomModel(spec: RoomModelSpec, prng: Prng, nowMs: number): RoomModel {
  const webRid = spec.webRid ?? spec.anchor?.webRid ?? newWebRid(prng);
  const anchor = spec.anchor ?? makeAnchor(prng.fork('anchor'), webRid);
  const clubName = fansClubName(anchor);
  const viewers = spec.viewers ?? prng.int(20, 50_000);
  const goods = spec.goods ?? prng.chance(0.5);
  const productPrng = prng.fork('products');
  const products = goods ? Array.from({ length: productPrng.int(3, 10) }, (_, i) => makeProduct(productPrng, i)) : [];
  const audiencePrng = prng.fork('audience');
  // Viewers are remade from their PRNG stream rather than all kept: a room draws from up to
  // 20,000 of them, and keeping each one ever seen grew the heap of a gateway with the built-in
  // simulator by about 1 MiB/s at 20 rooms × 50 msg/s (bench/README.md, memory under load).
  // Only the recently used (a cache) and the changed (kept) stay; the changed are a few gift
  // givers and fans-club members, never more than the audience.
  const recent = new Map<number, SimUser>();
  const kept = new Map<string, SimUser>();
  return {
    roomId: spec.roomId ?? newRoomId(nowMs, prng),
    webRid,
    title: spec.title ?? prng.pick(ROOM_TITLES),
    status: 'live',
    startedAt: nowMs,
    endedAt: null,
    anchor,
    clubName,
    streamId: `1${prng.digits(17)}`,
    coverUri: `webcast-cover/${prng.digits(19)}`,
    portrait: prng.chance(0.6),
    viewers,
    totalViewers: viewers * prng.int(3, 30),
    likes: prng.int(0, viewers * 20),
    shares: 0,
    fanTickets: 0,
    products,
    explainingId: products[0]?.promotionId ?? null,
    contributions: new Map(),
    combos: new Map(),
    audienceSize: Math.max(50, Math.min(20_000, viewers * 2)),
    pk: null,
    redEnvelope: null,
    poll: null,
    recentChats: [],
    viewer(index: number): SimUser {
      let user = recent.get(index);
      if (user !== undefined) {
        // Most recently used last: the first key is the one to drop.
        recent.delete(index);
      } else {
        const made = makeViewer(audiencePrng.fork(`viewer:${index}`), anchor, clubName);
        user = kept.get(made.id) ?? made;
        if (recent.size >= RECENT_VIEWERS) recent.delete(recent.keys().next().value as number);
      }
      recent.set(index, user);
      return user;
    },
    keep(user: SimUser): void {
      kept.set(user.id, user);
    },
  };
}

/** Viewers a room keeps made (the rest are remade on use): about 1 MB a room. */
export const RECENT_VIEWERS = 1_000;

/** How many chats a room remembers for later references. */
export const RECENT_CHATS = 20;

export function rememberChat(room: RoomModel, chat: SentChat): void {
  room.recentChats.push(chat);
  if (room.recentChats.length > RECENT_CHATS) room.recentChats.shift();
}

/** Contributors by diamonds given, highest first; ties keep the earlier giver first. */
export function rankedContributions(room: RoomModel): Contribution[] {
  return [...room.contributions.values()].sort((a, b) => b.diamonds - a.diamonds);
}
