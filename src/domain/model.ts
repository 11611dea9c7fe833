// The normalized model every layer above the collectors speaks. Upstream names
// (user_count, diamond_count, id_str) stop at the mappers beside this file.

export interface Image {
  urls: string[];
  uri: string | null;
  width: number | null;
  height: number | null;
}

export type Gender = 'UNKNOWN' | 'MALE' | 'FEMALE';

export type AvatarSize = 'SMALL' | 'MEDIUM' | 'LARGE';

/** Wealth level ("财富等级") earned by spending diamonds. */
export interface PayGrade {
  level: number;
  name: string | null;
  description: string | null;
  /** Diamonds at which this level starts and ends. */
  minDiamonds: number | null;
  maxDiamonds: number | null;
  /** Diamonds needed for the next level, when Douyin says. */
  nextDiamonds: number | null;
}

export interface FansClub {
  name: string;
  level: number;
  /** The anchor whose club this is (a user can be in many). */
  anchorId: string | null;
}

export interface User {
  id: string;
  shortId: string | null;
  secUid: string | null;
  /** The "抖音号" a user shows on their profile. */
  displayId: string | null;
  nickname: string;
  avatar: Image | null;
  /** The avatar in each size Douyin sent (avatar_thumb, avatar_medium, avatar_large), when a mapper kept them. */
  avatarSizes?: Partial<Record<AvatarSize, Image>> | null;
  gender: Gender;
  signature: string | null;
  payGrade: PayGrade | null;
  fansClub: FansClub | null;
  followerCount: number | null;
  followingCount: number | null;
  verified: boolean;
  /** The anchor's room number, on users that broadcast. */
  webRid: string | null;
}

export type RoomStatus = 'PREPARING' | 'LIVE' | 'PAUSED' | 'ENDED' | 'UNKNOWN';

export interface StreamUrl {
  protocol: 'FLV' | 'HLS';
  /** Douyin's quality key: FULL_HD1, HD1, SD1, SD2, ORIGION… */
  quality: string;
  url: string;
}

export interface LiveRoom {
  /** The 19-digit room_id of this broadcast. */
  id: string;
  /** The anchor's fixed room number (11–12 digits), when known. */
  webRid: string | null;
  title: string;
  status: RoomStatus;
  owner: User | null;
  cover: Image | null;
  /** People watching now. */
  viewerCount: number | null;
  /** People who have watched this broadcast in total. */
  totalViewers: number | null;
  likeCount: number | null;
  /** Milliseconds since the epoch. */
  startedAt: number | null;
  finishedAt: number | null;
  streamUrls: StreamUrl[];
  hasCommerceGoods: boolean;
  /** Partition or game tag, when Douyin shows one. */
  category: string | null;
}

export interface LiveStatus {
  roomId: string;
  isLive: boolean;
}

export interface RankEntry {
  rank: number;
  /** Diamonds given in this broadcast (rounded by Douyin for display ranks). */
  score: number;
  /** The exact score as Douyin's string, when it sends one. */
  exactScore: string | null;
  /** Text such as "距离上一名还差1音浪". */
  gap: string | null;
  delta: number | null;
  user: User;
}

export interface RankList {
  roomId: string;
  entries: RankEntry[];
  /** How many viewers are ranked, when Douyin says. */
  total: number | null;
}

export interface Promotion {
  id: string;
  productId: string | null;
  title: string;
  shortTitle: string | null;
  /** Price in fen (1/100 yuan). */
  priceFen: number | null;
  /** Lowest SKU price in fen. */
  minPriceFen: number | null;
  cover: string | null;
  detailUrl: string | null;
  stock: number | null;
  inStock: boolean;
  sales: number | null;
  shopId: string | null;
  shopName: string | null;
  index: number | null;
  /** The product the anchor is explaining right now. */
  isExplaining: boolean;
}

export interface PromotionList {
  roomId: string;
  promotions: Promotion[];
  currentPromotionId: string | null;
  total: number;
}

export interface Gift {
  id: string;
  name: string;
  /** Price in diamonds (抖币); 10 diamonds = ¥1. */
  diamondCount: number;
  combo: boolean;
  image: Image | null;
  type: number | null;
}
