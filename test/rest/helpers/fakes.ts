// Test doubles for the REST handler's ports, and domain fixtures with every field filled (so
// the shape tests see everything we can emit).
import type { DouyinApi, PromotionQuery, RankListQuery } from '../../../src/collectors/douyin-api.ts';
import type { RoomEvent, RoomEventType } from '../../../src/domain/events.ts';
import type { LiveRoom, LiveStatus, PromotionList, RankList, User } from '../../../src/domain/model.ts';
import { decodeCursor, encodeCursor } from '../../../src/store/cursor.ts';
import type { EventPage, EventStore, ListEventsOptions } from '../../../src/store/event-store.ts';

export const ROOM_ID = '7690183442860198697';
export const OTHER_ROOM_ID = '7690183442860198698';

export function fullUser(overrides: Partial<User> = {}): User {
  const image = (size: number) => ({
    urls: [`https://p3.douyinpic.com/aweme/${size}x${size}/avatar.jpeg`, `https://p9.douyinpic.com/aweme/${size}x${size}/avatar.jpeg`],
    uri: `${size}x${size}/avatar`,
    width: size,
    height: size,
  });
  return {
    id: '95760275230',
    shortId: '830360786',
    secUid: 'MS4wLjABAAAAKp0OuO92yhbvfneuhthk-gskWF0f_JD1W3LRVltoEkc',
    displayId: 'xiaoyu58888',
    nickname: '小鱼',
    avatar: image(100),
    avatarSizes: { SMALL: image(100), MEDIUM: image(720), LARGE: image(1080) },
    gender: 'FEMALE',
    signature: 'hello',
    payGrade: { level: 16, name: '', description: '距离17级还差3抖币', minDiamonds: 1300, maxDiamonds: 1700, nextDiamonds: 1703 },
    fansClub: { name: '鱼粉', level: 7, anchorId: '95760275231' },
    followerCount: 214171,
    followingCount: 7,
    verified: true,
    webRid: '148108118778',
    ...overrides,
  };
}

export function fullRoom(overrides: Partial<LiveRoom> = {}): LiveRoom {
  return {
    id: ROOM_ID,
    webRid: '148108118778',
    title: '小鱼家正在直播',
    status: 'LIVE',
    owner: fullUser(),
    cover: { urls: ['https://p9-webcast.douyinpic.com/img/webcast/cover.image'], uri: 'webcast/cover', width: 720, height: 1280 },
    viewerCount: 1083,
    totalViewers: 164069,
    likeCount: 4746,
    startedAt: 1_790_510_360_000,
    finishedAt: null,
    streamUrls: [
      { protocol: 'FLV', quality: 'FULL_HD1', url: 'https://pull-flv.example/stage/stream_or4.flv' },
      { protocol: 'FLV', quality: 'SD1', url: 'https://pull-flv.example/stage/stream_ld.flv' },
      { protocol: 'HLS', quality: 'FULL_HD1', url: 'https://pull-hls.example/stage/stream_or4.m3u8' },
    ],
    hasCommerceGoods: true,
    category: '聊天',
    ...overrides,
  };
}

export function rankList(roomId = ROOM_ID): RankList {
  return {
    roomId,
    entries: [
      { rank: 1, score: 10001, exactScore: '10001', gap: '10001', delta: 0, user: fullUser({ id: '98204909466', nickname: 'ddezf' }) },
      { rank: 2, score: 1939, exactScore: null, gap: null, delta: 8062, user: fullUser({ id: '2955104372400333', fansClub: null, payGrade: null }) },
    ],
    total: 39847,
  };
}

export function promotionList(roomId = ROOM_ID): PromotionList {
  return {
    roomId,
    promotions: [
      {
        id: '3436129527946972390',
        productId: '3436129527946972391',
        title: 'k00006三色显瘦牛仔裤',
        shortTitle: '牛仔裤',
        priceFen: 99900,
        minPriceFen: 5990,
        cover: 'https://sf6-ttcdn-tos.pstatp.com/img/temai/cover.webp',
        detailUrl: 'aweme://goods/seeding/?promotion_id=3436129527946972390',
        stock: 12,
        inStock: true,
        sales: 345,
        shopId: '3494225',
        shopName: '小鱼家',
        index: 2,
        isExplaining: true,
      },
    ],
    currentPromotionId: null,
    total: 31,
  };
}

type Call = { method: keyof DouyinApi; args: unknown[] };

/** A DouyinApi that records every call; set `failure` to make every call throw it. */
export class FakeDouyin implements DouyinApi {
  readonly calls: Call[] = [];
  failure: unknown = null;
  room: LiveRoom = fullRoom();
  statuses: LiveStatus[] = [];
  ranks: RankList = rankList();
  products: PromotionList = promotionList();
  feedRooms: LiveRoom[] = [fullRoom(), fullRoom({ id: OTHER_ROOM_ID, status: 'ENDED', finishedAt: 1_790_520_000_000 })];

  private record<T>(method: keyof DouyinApi, args: unknown[], result: T): Promise<T> {
    this.calls.push({ method, args });
    return this.failure === null ? Promise.resolve(result) : Promise.reject(this.failure);
  }

  roomByWebRid(webRid: string) {
    return this.record('roomByWebRid', [webRid], this.room);
  }
  roomByRoomId(roomId: string) {
    return this.record('roomByRoomId', [roomId], this.room);
  }
  liveStatus(roomIds: readonly string[]) {
    return this.record('liveStatus', [roomIds], this.statuses);
  }
  rankList(query: RankListQuery) {
    return this.record('rankList', [query], this.ranks);
  }
  promotions(query: PromotionQuery) {
    return this.record('promotions', [query], this.products);
  }
  feed() {
    return this.record('feed', [], this.feedRooms);
  }
  giftCatalog(roomId?: string) {
    return this.record('giftCatalog', [roomId], []);
  }
}

/** Counts watchers per room, as the supervisor would. */
export class FakeRooms {
  readonly watching = new Map<string, number>();
  watchCalls = 0;

  watch(roomId: string): () => void {
    this.watchCalls += 1;
    this.watching.set(roomId, (this.watching.get(roomId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.watching.set(roomId, (this.watching.get(roomId) ?? 1) - 1);
    };
  }

  active(roomId: string): number {
    return this.watching.get(roomId) ?? 0;
  }
}

/** The two EventStore reads /chat uses, in memory, with the store's cursor format. */
export class FakeHistory implements Pick<EventStore, 'listEvents' | 'latestCursor'> {
  private readonly rooms = new Map<string, RoomEvent[]>();

  append(...events: RoomEvent[]): void {
    for (const event of events) {
      const list = this.rooms.get(event.roomId) ?? [];
      list.push({ ...event, cursor: encodeCursor(event.roomId, list.length + 1) });
      this.rooms.set(event.roomId, list);
    }
  }

  async latestCursor(roomId: string): Promise<string | null> {
    return this.rooms.get(roomId)?.at(-1)?.cursor ?? null;
  }

  async listEvents(roomId: string, options: ListEventsOptions): Promise<EventPage> {
    const afterSeq = options.after ? decodeCursor(options.after).seq : 0;
    const wanted = options.types ? new Set<RoomEventType>(options.types) : null;
    const all = (this.rooms.get(roomId) ?? []).filter((event, index) => index + 1 > afterSeq && (wanted === null || wanted.has(event.type)));
    if (options.newest === true) {
      const newest = all.slice(-options.first);
      return { events: newest, hasNextPage: false, endCursor: newest.at(-1)?.cursor ?? null };
    }
    const events = all.slice(0, options.first);
    return { events, hasNextPage: all.length > events.length, endCursor: events.at(-1)?.cursor ?? null };
  }
}

let serial = 6922636275858098944n;

export function chatEvent(content: string, roomId = ROOM_ID, user: User | null = fullUser({ id: '61152922824', nickname: '若他' })): RoomEvent {
  serial += 1n;
  return { type: 'ChatEvent', id: String(serial), roomId, method: 'WebcastChatMessage', createdAt: 1_790_510_400_000, user, cursor: null, content };
}

export function viewerCountEvent(roomId = ROOM_ID): RoomEvent {
  serial += 1n;
  return {
    type: 'ViewerCountEvent',
    id: String(serial),
    roomId,
    method: 'WebcastRoomUserSeqMessage',
    createdAt: 1_790_510_400_000,
    user: null,
    cursor: null,
    current: 1000,
    total: 5000,
    currentText: null,
    totalText: null,
    topContributors: [],
  };
}
