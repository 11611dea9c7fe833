// Pure derivations from room events: the stored JSON body, the gift ledger rows, the users
// seen and the room figures a snapshot records.
import type { RoomEvent } from '../domain/events.ts';
import type { User } from '../domain/model.ts';
import type { GiftTotalRow, SnapshotInput } from './event-store.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** jsonb rejects NUL and unpaired surrogates; upstream text can hold both, so they become U+FFFD. */
export function storableText(text: string): string {
  return text.replace(/\u0000/g, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}

// JSON.stringify writes NUL as \u0000 and a lone surrogate as \udXXX; seeing neither, the fast
// text is already storable. (An escaped backslash before "u0000" only costs the slow path.)
const MAYBE_UNSTORABLE = /\\u(0000|d[89a-f])/i;

/** JSON text jsonb accepts, with strings cleaned by storableText. */
export function storableJson(value: unknown): string {
  const fast = JSON.stringify(value);
  if (!MAYBE_UNSTORABLE.test(fast)) return fast;
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'string' ? storableText(inner) : inner));
}

/** The JSON stored for an event: the domain event itself, with the cursor left to the reader. */
export function storedBody(event: RoomEvent): string {
  return storableJson({ ...event, cursor: null });
}

/**
 * One ledger row per gift event that adds gifts. Only `deltaCount` is counted: the STARTED,
 * PROGRESS and FINAL events of one combo each carry their own delta, so the combo's total is
 * counted once however many of its events arrive.
 */
export function giftLedgerRows(events: readonly RoomEvent[]): GiftTotalRow[] {
  const rows: GiftTotalRow[] = [];
  for (const event of events) {
    if (event.type !== 'GiftEvent' || event.user === null) continue;
    const count = wholeCount(event.deltaCount);
    if (count === 0) continue;
    rows.push({
      roomId: event.roomId,
      userId: event.user.id,
      giftId: event.gift.id,
      count,
      diamonds: count * wholeCount(event.gift.diamondCount),
      at: event.createdAt,
    });
  }
  return sumGiftRows(rows);
}

/** Merges rows with the same (room, user, gift): one upsert may touch each key only once. */
export function sumGiftRows(rows: readonly GiftTotalRow[]): GiftTotalRow[] {
  const byKey = new Map<string, GiftTotalRow>();
  for (const row of rows) {
    const key = `${row.roomId}\u0001${row.userId}\u0001${row.giftId}`;
    const seen = byKey.get(key);
    if (seen === undefined) {
      byKey.set(key, { ...row });
      continue;
    }
    seen.count += row.count;
    seen.diamonds += row.diamonds;
    seen.at = Math.max(seen.at ?? 0, row.at ?? 0);
  }
  return [...byKey.values()];
}

/** Every user an event names, keyed by id; a later mention replaces an earlier one. */
export function usersSeen(events: readonly RoomEvent[]): User[] {
  const byId = new Map<string, User>();
  const see = (user: User | null) => {
    if (user !== null && user.id !== '' && user.id !== '0') byId.set(user.id, user);
  };
  for (const event of events) {
    see(event.user);
    if (event.type === 'GiftEvent') see(event.toUser);
    if (event.type === 'ViewerCountEvent') event.topContributors.forEach((entry) => see(entry.user));
    if (event.type === 'RankUpdateEvent') event.entries.forEach((entry) => see(entry.user));
  }
  return [...byId.values()];
}

export type SnapshotFigures = Partial<Omit<SnapshotInput, 'at'>>;

/** The room figures an event reports, or null when it reports none. */
export function snapshotFigures(event: RoomEvent): SnapshotFigures | null {
  switch (event.type) {
    case 'ViewerCountEvent':
      return event.total === null ? { viewerCount: event.current } : { viewerCount: event.current, totalViewers: event.total };
    case 'RoomStatsEvent':
      if (event.kind === 'ONLINE') return { viewerCount: event.value };
      if (event.kind === 'CUMULATIVE') return { totalViewers: event.value };
      return null;
    case 'LikeEvent':
      return event.total > 0 ? { likeCount: event.total } : null;
    case 'RoomStatusEvent':
      return { status: event.status };
    default:
      return null;
  }
}

function wholeCount(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0;
}
