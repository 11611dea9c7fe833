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
  /** Viewer #i, made on first use from its own PRNG stream. */
  viewer(index: number): SimUser;
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
  const audience = new Map<number, SimUser>();
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
    viewer(index: number): SimUser {
      let user = audience.get(index);
      if (!user) {
        user = makeViewer(audiencePrng.fork(`viewer:${index}`), anchor, clubName);
        audience.set(index, user);
      }
      return user;
    },
  };
}

/** Contributors by diamonds given, highest first; ties keep the earlier giver first. */
export function rankedContributions(room: RoomModel): Contribution[] {
  return [...room.contributions.values()].sort((a, b) => b.diamonds - a.diamonds);
}
