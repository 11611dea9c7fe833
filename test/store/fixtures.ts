// Builders for domain events and users with realistic ids, so each test states only what it checks.
import type {
  ChatEvent,
  FollowEvent,
  GiftEvent,
  LikeEvent,
  RoomStatusEvent,
  StreamGapEvent,
  ViewerCountEvent,
} from '../../src/domain/events.ts';
import type { Gift, RoomStatus, User } from '../../src/domain/model.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { IN_MEMORY, openPgliteStore } from '../../src/store/pglite-store.ts';
import { afterAll, beforeAll } from 'vitest';
import { until } from '../support/until.ts';

let counter = 0;
/** A 19-digit room id unique within the test run. */
export function newRoomId(): string {
  counter += 1;
  return `73${String(Date.now()).slice(-9)}${String(process.pid % 1000).padStart(3, '0')}${String(counter).padStart(5, '0')}`;
}

export const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);

export function user(id: string, overrides: Partial<User> = {}): User {
  return {
    id,
    shortId: null,
    secUid: `MS4wLjABAAAA${id}`,
    displayId: `dy${id.slice(-6)}`,
    nickname: `viewer ${id.slice(-4)}`,
    avatar: null,
    gender: 'UNKNOWN',
    signature: null,
    payGrade: null,
    fansClub: null,
    followerCount: null,
    followingCount: null,
    verified: false,
    webRid: null,
    ...overrides,
  };
}

const base = (roomId: string, id: string, method: string, createdAt: number, who: User | null) => ({
  id,
  roomId,
  method,
  createdAt,
  user: who,
  cursor: null,
});

export function chat(roomId: string, id: string, createdAt: number, content = 'hello', who: User | null = user('1000001')): ChatEvent {
  return { ...base(roomId, id, 'WebcastChatMessage', createdAt, who), type: 'ChatEvent', content };
}

export function like(roomId: string, id: string, createdAt: number, count: number, total: number, who: User | null = user('1000002')): LikeEvent {
  return { ...base(roomId, id, 'WebcastLikeMessage', createdAt, who), type: 'LikeEvent', count, total };
}

export function follow(roomId: string, id: string, createdAt: number, who: User | null = user('1000003')): FollowEvent {
  return { ...base(roomId, id, 'WebcastSocialMessage', createdAt, who), type: 'FollowEvent', followerCount: 1234 };
}

export const ROSE: Gift = { id: '463', name: '小心心', diamondCount: 1, combo: true, image: null, type: 1 };
export const ROCKET: Gift = { id: '5765', name: '嘉年华', diamondCount: 3000, combo: false, image: null, type: 4 };

export interface GiftShape {
  gift?: Gift;
  groupId?: string;
  deltaCount: number;
  totalCount: number;
  phase?: GiftEvent['phase'];
  who?: User | null;
}

export function gift(roomId: string, id: string, createdAt: number, shape: GiftShape): GiftEvent {
  const g = shape.gift ?? ROSE;
  return {
    ...base(roomId, id, 'WebcastGiftMessage', createdAt, shape.who === undefined ? user('1000004') : shape.who),
    type: 'GiftEvent',
    gift: g,
    toUser: user('9000001', { nickname: 'anchor' }),
    groupId: shape.groupId ?? `g-${id}`,
    repeatCount: shape.totalCount,
    groupCount: 1,
    repeatEnd: shape.phase === 'FINAL',
    phase: shape.phase ?? 'FINAL',
    deltaCount: shape.deltaCount,
    totalCount: shape.totalCount,
    totalDiamonds: shape.totalCount * g.diamondCount,
  };
}

export function viewers(roomId: string, id: string, createdAt: number, current: number, total: number | null = null): ViewerCountEvent {
  return {
    ...base(roomId, id, 'WebcastRoomUserSeqMessage', createdAt, null),
    type: 'ViewerCountEvent',
    current,
    total,
    currentText: null,
    totalText: null,
    topContributors: [],
  };
}

export function status(roomId: string, id: string, createdAt: number, roomStatus: RoomStatus): RoomStatusEvent {
  return { ...base(roomId, id, 'WebcastControlMessage', createdAt, null), type: 'RoomStatusEvent', status: roomStatus, action: 3, reason: null };
}

export function gap(roomId: string, id: string, createdAt: number): StreamGapEvent {
  return { ...base(roomId, id, 'StreamGap', createdAt, null), type: 'StreamGapEvent', from: createdAt - 5000, to: createdAt, reason: 'reconnect' };
}

export { until };

/**
 * Opening PGlite compiles its WASM: seconds on an idle machine, far more on the shared two cores,
 * so hooks and tests that open one get this budget instead of the default 30 s.
 */
export const PGLITE_TIMEOUT_MS = 120_000;

/**
 * One in-memory PGlite store per test file: opened and migrated before the file's tests, closed
 * after. Returns a getter, since the store exists only once opened.
 */
export function useMemoryStore(onOpen: (store: EventStore) => void = () => {}): () => EventStore {
  let store: EventStore | null = null;
  beforeAll(async () => {
    store = await openPgliteStore({ dataDir: IN_MEMORY });
    await store.migrate();
    onOpen(store);
  }, PGLITE_TIMEOUT_MS);
  afterAll(async () => {
    await store?.close();
  });
  return () => {
    if (store === null) throw new Error('the store is not open yet');
    return store;
  };
}
