// In-memory stand-ins for the schema's ports. Each counts its calls so tests can assert how
// many upstream requests an operation made, and each lets a test inject failures.
import type { DouyinApi, PromotionQuery, RankListQuery } from '../../src/collectors/douyin-api.ts';
import type { ConnectionState, RoomEvent, RoomEventType } from '../../src/domain/events.ts';
import { resumeSequence } from '../../src/live/resume-cursor.ts';
import type { Gift, LiveRoom, LiveStatus, PromotionList, RankList, User } from '../../src/domain/model.ts';
import {
  createSchemaContext,
  type EventHistory,
  type RoomEventSource,
  type RoomEventSubscription,
  type RoomStatusChange,
  type RoomStatusSource,
  type RoomWatcher,
  type SchemaContext,
  type SchemaObserver,
} from '../../src/schema/context.ts';
import { decodeCursor, encodeCursor } from '../../src/store/cursor.ts';
import type { EventPage, ListEventsOptions, RoomStats, UserKey } from '../../src/store/event-store.ts';

// ---- domain fixtures -------------------------------------------------------------------

/** A 19-digit room_id whose high bits make a plausible start time. */
export function roomIdFor(n: number): string {
  return String((1790510360n << 32n) + BigInt(n));
}

export function webRidFor(n: number): string {
  return String(100000000000 + n);
}

export function makeUser(id: string, overrides: Partial<User> = {}): User {
  return {
    id,
    shortId: null,
    secUid: `MS4wLjABAAAA${id}`,
    displayId: `dy${id}`,
    nickname: `user ${id}`,
    avatar: { urls: [`https://p3.example/avatar/${id}~100x100.jpeg`], uri: null, width: 100, height: 100 },
    gender: 'UNKNOWN',
    signature: null,
    payGrade: { level: 12, name: null, description: '距离13级还差35抖币', minDiamonds: 1000, maxDiamonds: 2000, nextDiamonds: 35 },
    fansClub: { name: 'club', level: 3, anchorId: '42' },
    followerCount: null,
    followingCount: null,
    verified: false,
    webRid: null,
    ...overrides,
  };
}

export function makeRoom(n: number, overrides: Partial<LiveRoom> = {}): LiveRoom {
  return {
    id: roomIdFor(n),
    webRid: webRidFor(n),
    title: `room ${n}`,
    status: 'LIVE',
    owner: makeUser(String(7000 + n), { webRid: webRidFor(n) }),
    cover: null,
    viewerCount: 100 + n,
    totalViewers: 5_000_000_000,
    likeCount: 10 * n,
    startedAt: 1790510360000,
    finishedAt: null,
    streamUrls: [{ protocol: 'FLV', quality: 'HD1', url: `https://pull.example/${n}.flv` }],
    hasCommerceGoods: true,
    category: null,
    ...overrides,
  };
}

export function makeRankList(roomId: string, size = 15): RankList {
  return {
    roomId,
    total: size,
    entries: Array.from({ length: size }, (_, i) => ({
      rank: i + 1,
      score: 1000 - i,
      exactScore: String(1000 - i),
      gap: null,
      delta: null,
      user: makeUser(`9${i}`),
    })),
  };
}

// ---- DouyinApi --------------------------------------------------------------------------

export type DouyinMethod = keyof DouyinApi;

export class FakeDouyin implements DouyinApi {
  readonly calls: { method: DouyinMethod; args: unknown[] }[] = [];
  readonly rooms = new Map<string, LiveRoom>();
  feedRooms: LiveRoom[] = [];
  /** A failure to throw from a method instead of answering. */
  readonly failures = new Map<DouyinMethod, (arg: unknown) => Error | null>();

  constructor(rooms: LiveRoom[] = []) {
    for (const room of rooms) this.rooms.set(room.id, room);
    this.feedRooms = rooms.filter((room) => room.status === 'LIVE');
  }

  count(method: DouyinMethod): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  total(): number {
    return this.calls.length;
  }

  private async record(method: DouyinMethod, arg: unknown): Promise<void> {
    this.calls.push({ method, args: [arg] });
    await Promise.resolve();
    const failure = this.failures.get(method)?.(arg) ?? null;
    if (failure !== null) throw failure;
  }

  async roomByWebRid(webRid: string): Promise<LiveRoom> {
    await this.record('roomByWebRid', webRid);
    const room = [...this.rooms.values()].find((candidate) => candidate.webRid === webRid);
    if (room === undefined) throw new Error(`fake: no room for web_rid ${webRid}`);
    return room;
  }

  async roomByRoomId(roomId: string): Promise<LiveRoom> {
    await this.record('roomByRoomId', roomId);
    const room = this.rooms.get(roomId);
    if (room === undefined) throw new Error(`fake: no room ${roomId}`);
    return room;
  }

  async liveStatus(roomIds: readonly string[]): Promise<LiveStatus[]> {
    await this.record('liveStatus', [...roomIds]);
    return roomIds.flatMap((roomId) => {
      const room = this.rooms.get(roomId);
      return room === undefined ? [] : [{ roomId, isLive: room.status === 'LIVE' }];
    });
  }

  async rankList(query: RankListQuery): Promise<RankList> {
    await this.record('rankList', query);
    return makeRankList(query.roomId);
  }

  async promotions(query: PromotionQuery): Promise<PromotionList> {
    await this.record('promotions', query);
    const promotion = (id: string, isExplaining: boolean) => ({
      id,
      productId: `p${id}`,
      title: `product ${id}`,
      shortTitle: null,
      priceFen: 9900,
      minPriceFen: 8800,
      cover: null,
      detailUrl: null,
      stock: 3,
      inStock: true,
      sales: 120,
      shopId: '55',
      shopName: 'shop',
      index: Number(id),
      isExplaining,
    });
    return { roomId: query.roomId, promotions: [promotion('1', false), promotion('2', true)], currentPromotionId: null, total: 2 };
  }

  async feed(): Promise<LiveRoom[]> {
    await this.record('feed', null);
    return this.feedRooms;
  }

  async giftCatalog(roomId?: string): Promise<Gift[]> {
    await this.record('giftCatalog', roomId);
    return [{ id: '463', name: '玫瑰', diamondCount: 1, combo: true, image: null, type: 1 }];
  }
}

// ---- push channels ----------------------------------------------------------------------

/** An async iterable fed by push(); ends when the subscriber's signal aborts or end() is called. */
export class Channel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;

  constructor(signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.end(), { once: true });
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting !== null) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ done: false, value: item });
    } else {
      this.buffer.push(item);
    }
  }

  end(): void {
    this.ended = true;
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.({ done: true, value: undefined });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.buffer.shift();
        if (item !== undefined) return Promise.resolve({ done: false, value: item });
        if (this.ended) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

export class FakeRooms implements RoomWatcher {
  readonly watches: string[] = [];
  readonly releases: string[] = [];
  readonly states = new Map<string, ConnectionState>();

  watch(roomId: string): () => void {
    this.watches.push(roomId);
    let released = false;
    return () => {
      if (released) throw new Error(`fake: ${roomId} released twice`);
      released = true;
      this.releases.push(roomId);
    };
  }

  connectionState(roomId: string): ConnectionState | null {
    return this.states.get(roomId) ?? null;
  }

  /** Rooms watched and not released. */
  active(): string[] {
    const left = [...this.releases];
    return this.watches.filter((roomId) => {
      const index = left.indexOf(roomId);
      if (index < 0) return true;
      left.splice(index, 1);
      return false;
    });
  }
}

/**
 * Live events per room, keeping the live layer's contract (src/live/ports.ts): the resume cursor
 * is checked by the live layer's own check, and only the requested types are passed on.
 */
export class FakeEventSource implements RoomEventSource {
  readonly subscriptions: { roomId: string; options: RoomEventSubscription; channel: Channel<RoomEvent> }[] = [];
  keepsHistory = true;

  subscribe(roomId: string, options: RoomEventSubscription): AsyncIterable<RoomEvent> {
    if (options.after != null) resumeSequence(roomId, options.after, this.keepsHistory);
    const channel = new Channel<RoomEvent>(options.signal);
    this.subscriptions.push({ roomId, options, channel });
    return channel;
  }

  emit(roomId: string, event: RoomEvent): void {
    for (const subscription of this.subscriptions) {
      const types = subscription.options.types;
      if (subscription.roomId !== roomId || (types && types.length > 0 && !types.includes(event.type))) continue;
      subscription.channel.push(event);
    }
  }

  /** Subscriptions whose subscriber has not left. */
  open(roomId?: string): number {
    return this.subscriptions.filter((s) => !s.options.signal.aborted && (roomId === undefined || s.roomId === roomId)).length;
  }
}

export class FakeStatusSource implements RoomStatusSource {
  readonly subscriptions: { roomIds: readonly string[]; channel: Channel<RoomStatusChange>; signal: AbortSignal }[] = [];

  subscribe(roomIds: readonly string[], signal: AbortSignal): AsyncIterable<RoomStatusChange> {
    const channel = new Channel<RoomStatusChange>(signal);
    this.subscriptions.push({ roomIds, channel, signal });
    return channel;
  }

  emit(change: RoomStatusChange): void {
    for (const subscription of this.subscriptions) if (subscription.roomIds.includes(change.roomId)) subscription.channel.push(change);
  }
}

export class FakeHistory implements EventHistory {
  readonly calls: { method: string; args: unknown[] }[] = [];
  private readonly events = new Map<string, RoomEvent[]>();
  readonly users = new Map<string, User>();
  stats: RoomStats | null = null;

  /** Stores events in order, giving each its cursor (the store's own format). */
  append(events: RoomEvent[]): RoomEvent[] {
    return events.map((event) => {
      const list = this.events.get(event.roomId) ?? [];
      const stored = { ...event, cursor: encodeCursor(event.roomId, list.length + 1) };
      list.push(stored);
      this.events.set(event.roomId, list);
      return stored;
    });
  }

  async listEvents(roomId: string, options: ListEventsOptions): Promise<EventPage> {
    this.calls.push({ method: 'listEvents', args: [roomId, options] });
    const afterSeq = options.after == null ? 0 : decodeCursor(options.after).seq;
    const types = options.types && options.types.length > 0 ? new Set<RoomEventType>(options.types) : null;
    const matching = (this.events.get(roomId) ?? []).filter(
      (event, index) =>
        index + 1 > afterSeq &&
        (types === null || types.has(event.type)) &&
        (options.since == null || event.createdAt >= options.since),
    );
    const events = matching.slice(0, options.first);
    return { events, hasNextPage: matching.length > events.length, endCursor: events.at(-1)?.cursor ?? null };
  }

  async roomStats(roomId: string): Promise<RoomStats> {
    this.calls.push({ method: 'roomStats', args: [roomId] });
    if (this.stats === null) throw new Error('fake: no stats set');
    return this.stats;
  }

  async getUser(key: UserKey): Promise<User | null> {
    this.calls.push({ method: 'getUser', args: [key] });
    for (const user of this.users.values()) {
      if ('id' in key ? user.id === key.id : user.secUid === key.secUid) return user;
    }
    return null;
  }
}

export class CountingObserver implements SchemaObserver {
  readonly subscribers = new Map<string, number>();
  delivered = 0;

  subscriberJoined(roomId: string): void {
    this.subscribers.set(roomId, (this.subscribers.get(roomId) ?? 0) + 1);
  }

  subscriberLeft(roomId: string): void {
    this.subscribers.set(roomId, (this.subscribers.get(roomId) ?? 0) - 1);
  }

  eventDelivered(): void {
    this.delivered += 1;
  }
}

export interface Fakes {
  douyin: FakeDouyin;
  rooms: FakeRooms;
  events: FakeEventSource;
  history: FakeHistory;
  statusChanges: FakeStatusSource;
  observer: CountingObserver;
}

export function createFakes(rooms: LiveRoom[] = []): Fakes {
  return {
    douyin: new FakeDouyin(rooms),
    rooms: new FakeRooms(),
    events: new FakeEventSource(),
    history: new FakeHistory(),
    statusChanges: new FakeStatusSource(),
    observer: new CountingObserver(),
  };
}

export function contextFor(fakes: Fakes, options: { history?: boolean } = {}): SchemaContext {
  fakes.events.keepsHistory = options.history !== false;
  return createSchemaContext({ ...fakes, history: options.history === false ? null : fakes.history });
}

// ---- events -----------------------------------------------------------------------------

let nextMsgId = 1;

export function chatEvent(roomId: string, content: string, createdAt = 1790510400000): RoomEvent {
  return {
    type: 'ChatEvent',
    id: String(nextMsgId++),
    roomId,
    method: 'WebcastChatMessage',
    createdAt,
    user: makeUser('123'),
    cursor: null,
    content,
  };
}

export function likeEvent(roomId: string, count: number, total: number, createdAt = 1790510400000): RoomEvent {
  return {
    type: 'LikeEvent',
    id: String(nextMsgId++),
    roomId,
    method: 'WebcastLikeMessage',
    createdAt,
    user: makeUser('124'),
    cursor: null,
    count,
    total,
  };
}

export function giftEvent(roomId: string, totalCount: number): RoomEvent {
  return {
    type: 'GiftEvent',
    id: String(nextMsgId++),
    roomId,
    method: 'WebcastGiftMessage',
    createdAt: 1790510400000,
    user: makeUser('125'),
    cursor: null,
    gift: { id: '463', name: '玫瑰', diamondCount: 1, combo: true, image: null, type: 1 },
    toUser: null,
    groupId: '777',
    repeatCount: totalCount,
    groupCount: 1,
    repeatEnd: false,
    phase: totalCount === 1 ? 'STARTED' : 'PROGRESS',
    deltaCount: 1,
    totalCount,
    totalDiamonds: totalCount,
  };
}
