// Watches made by the watch mutation: kept in the store (so they survive restarts), applied to
// the room supervisor, and for an anchor followed across broadcasts by an AnchorFollower, checked
// every poll. A watch may pin its room (each broadcast's, for an anchor) to a cookie and/or proxy
// of the upstream pool; the pin is set before the room is watched, so its first connection
// already goes through a fitting pair.
import { randomBytes } from 'node:crypto';
import type { DouyinApi } from '../../collectors/douyin-api.ts';
import type { LiveRoom } from '../../domain/model.ts';
import { parseRoomRef } from '../../domain/ids.ts';
import type { MonitorStore, StoredWatch } from '../../store/monitor-store.ts';
import { AnchorFollower, type FollowTargets } from './anchor-follower.ts';

/** A watch's pin: ids of a pool cookie and/or proxy, as the upstreamPool query shows them. */
export interface WatchPin {
  cookie: string | null;
  proxy: string | null;
}

/** The upstream pool as watches use it (collectors/pool/upstream-pool.ts). */
export interface RoomPins {
  /** Why no pair fits the pin, or null when one does. */
  checkPin(pin: WatchPin): string | null;
  /** Holds the room to the pin until the release is called. */
  pinRoom(roomId: string, pin: WatchPin): () => void;
}

export interface WatchView {
  id: string;
  /** The anchor's web_rid for an anchor watch; null for a room watch. */
  anchor: string | null;
  /** The room watched now: the anchor's current (or last) broadcast; null while not found. */
  roomId: string | null;
  label: string | null;
  createdAt: number;
  pin: WatchPin | null;
}

export type WatchTargets = FollowTargets;

export type WatchErrorCode = 'BAD_WATCH_INPUT' | 'WATCH_NOT_FOUND';

/** Douyin's lookup of an anchor's room by sec_uid (reflow with sec_user_id). */
export interface AnchorBySecUid {
  roomBySecUid(secUid: string): Promise<LiveRoom>;
}

export class WatchError extends Error {
  constructor(
    readonly code: WatchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WatchError';
  }
}

export interface WatchManagerOptions {
  store: Pick<MonitorStore, 'addWatch' | 'removeWatch' | 'watches'>;
  api: Pick<DouyinApi, 'roomByWebRid'> & AnchorBySecUid;
  rooms: WatchTargets;
  /** The upstream pool, for pinned watches; null when the gateway has none (a pin is then refused). */
  pins?: RoomPins | null;
  /** How often an anchor without a live room is looked up. */
  pollMs: number;
  onError?: (error: unknown, doing: string) => void;
  now?: () => number;
}

interface Applied {
  row: StoredWatch;
  /** A room watch's release; an anchor watch's follower holds its own. */
  release: (() => void) | null;
  follower: AnchorFollower | null;
}

export class WatchManager {
  private readonly applied = new Map<string, Applied>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  /**
   * Counts adds and removals here, so a sync whose read of the store predates one neither brings
   * a removed watch back nor lets go of one just added.
   */
  private changes = 0;
  private stopped = false;

  constructor(private readonly options: WatchManagerOptions) {}

  /** Applies every stored watch and starts following anchors. */
  async start(): Promise<void> {
    for (const row of await this.options.store.watches()) await this.apply(row);
    this.timer = setInterval(() => void this.follow(), this.options.pollMs);
    this.timer.unref();
  }

  async add(input: { anchor?: string | null; roomId?: string | null; label?: string | null; pin?: Partial<WatchPin> | null }): Promise<WatchView> {
    const pin = this.checkedPin(input.pin);
    const target = await this.resolved(targetOf(input));
    const label = input.label?.trim() || null;
    if (label !== null && label.length > 100) throw new WatchError('BAD_WATCH_INPUT', 'label: at most 100 characters');
    const row: StoredWatch = {
      id: `w_${randomBytes(8).toString('hex')}`,
      ...target,
      label,
      createdAt: (this.options.now ?? Date.now)(),
      pinCookie: pin?.cookie ?? null,
      pinProxy: pin?.proxy ?? null,
    };
    this.changes += 1;
    const { row: stored, created } = await this.options.store.addWatch(row);
    // The same target watched again returns the watch there is; with another pin that would
    // silently ignore what was asked, so it is refused instead.
    if (!created && (stored.pinCookie !== row.pinCookie || stored.pinProxy !== row.pinProxy)) {
      throw new WatchError('BAD_WATCH_INPUT', `pin: ${stored.id} already watches this ${stored.kind === 'ROOM' ? 'room' : 'anchor'} with another pin; unwatch it first`);
    }
    if (created || !this.applied.has(stored.id)) await this.apply(stored);
    // Again once applied: a sync whose read began between the two must not let go of it.
    this.changes += 1;
    return this.view(stored.id);
  }

  /** The pin asked for, refused with BAD_WATCH_INPUT when malformed or when no pool pair fits it. */
  private checkedPin(input: Partial<WatchPin> | null | undefined): WatchPin | null {
    const cookie = input?.cookie?.trim() || null;
    const proxy = input?.proxy?.trim() || null;
    if (cookie === null && proxy === null) return null;
    if (cookie !== null && !COOKIE_ID.test(cookie)) throw new WatchError('BAD_WATCH_INPUT', 'pin.cookie: a cookie id as upstreamPool shows it (cookie-0123abcd)');
    if (proxy !== null && !PROXY_ID.test(proxy)) throw new WatchError('BAD_WATCH_INPUT', 'pin.proxy: a proxy id as upstreamPool shows it (proxy-0123abcd)');
    const pins = this.options.pins ?? null;
    if (pins === null) throw new WatchError('BAD_WATCH_INPUT', 'pin: this gateway has no upstream pool to pin to (set DOUYIN_COOKIES or DOUYIN_PROXIES)');
    const pin = { cookie, proxy };
    const miss = pins.checkPin(pin);
    if (miss !== null) throw new WatchError('BAD_WATCH_INPUT', `pin: ${miss}`);
    return pin;
  }

  async remove(id: string): Promise<boolean> {
    this.changes += 1;
    const removed = await this.options.store.removeWatch(id);
    const applied = this.applied.get(id);
    if (applied !== undefined) letGo(applied);
    this.applied.delete(id);
    this.changes += 1;
    return removed;
  }

  /** Every watch of the fleet: read from the store first, so one made through another instance is listed too. */
  async list(): Promise<WatchView[]> {
    await this.sync().catch((error: unknown) => this.options.onError?.(error, 'reading the watches from the store'));
    return [...this.applied.keys()].map((id) => this.view(id));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const applied of this.applied.values()) letGo(applied);
    this.applied.clear();
  }

  /**
   * A sec_uid is looked up once and the watch kept on the anchor's web_rid, which is fixed per
   * anchor and what broadcasts are followed by: the same anchor watched either way is one watch.
   */
  private async resolved(target: Target): Promise<{ kind: 'ANCHOR' | 'ROOM'; target: string }> {
    if (target.kind !== 'SEC_UID') return target as { kind: 'ANCHOR' | 'ROOM'; target: string };
    const room = await this.options.api.roomBySecUid(target.target);
    const webRid = room.webRid ?? room.owner?.webRid ?? null;
    if (webRid === null) throw new WatchError('BAD_WATCH_INPUT', `anchor: Douyin gave no web_rid for sec_uid ${target.target}`);
    return { kind: 'ANCHOR', target: webRid };
  }

  private view(id: string): WatchView {
    const { row, follower } = this.applied.get(id) as Applied;
    const roomId = row.kind === 'ROOM' ? row.target : (follower?.roomId ?? null);
    return { id: row.id, anchor: row.kind === 'ANCHOR' ? row.target : null, roomId, label: row.label, createdAt: row.createdAt, pin: pinOf(row) };
  }

  private async apply(row: StoredWatch): Promise<void> {
    // add() and sync() may both find a new row: it is applied once.
    if (this.applied.has(row.id) || this.stopped) return;
    const rooms = this.targetsFor(row);
    if (row.kind === 'ROOM') {
      this.applied.set(row.id, { row, release: rooms.watch(row.target), follower: null });
      return;
    }
    const follower = new AnchorFollower(row.target, { api: this.options.api, rooms, ...(this.options.onError ? { onError: this.options.onError } : {}) });
    this.applied.set(row.id, { row, release: null, follower });
    await follower.start();
  }

  /** The rooms as this watch holds them: pinned first, then watched; let go in the reverse order. */
  private targetsFor(row: StoredWatch): WatchTargets {
    const pin = pinOf(row);
    if (pin === null) return this.options.rooms;
    const pins = this.options.pins ?? null;
    if (pins === null) {
      // The pool was configured when the watch was made and is gone since: record the room
      // unpinned rather than not at all, and say so.
      this.options.onError?.(new WatchError('BAD_WATCH_INPUT', 'no upstream pool: the pin is not applied'), `applying watch ${row.id}`);
      return this.options.rooms;
    }
    const rooms = this.options.rooms;
    return {
      connectionState: (roomId) => rooms.connectionState(roomId),
      watch: (roomId) => {
        const unpin = pins.pinRoom(roomId, pin);
        const release = rooms.watch(roomId);
        return () => {
          release();
          unpin();
        };
      },
    };
  }

  /**
   * Brings the watches in line with the store: several instances share one (fleet mode), and a
   * watch made or removed on one must hold on all, so whichever instance collects the room
   * applies the watch's pin to its own pool.
   */
  async sync(): Promise<void> {
    const changes = this.changes;
    const rows = await this.options.store.watches();
    // A watch added or removed here while the store was read: the next sync sees it right.
    if (changes !== this.changes || this.stopped) return;
    const ids = new Set(rows.map((row) => row.id));
    for (const [id, applied] of [...this.applied]) {
      if (ids.has(id)) continue;
      letGo(applied);
      this.applied.delete(id);
    }
    for (const row of rows) await this.apply(row);
  }

  /** Watches made or removed elsewhere; then anchors whose room has ended or was never found: is there a new broadcast? */
  private async follow(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      try {
        await this.sync();
      } catch (error) {
        this.options.onError?.(error, 'reading the watches from the store');
      }
      for (const applied of [...this.applied.values()]) await applied.follower?.check();
    } finally {
      this.polling = false;
    }
  }
}

function letGo(applied: Applied): void {
  applied.release?.();
  applied.follower?.stop();
}

interface Target {
  kind: 'ANCHOR' | 'ROOM' | 'SEC_UID';
  target: string;
}

const COOKIE_ID = /^cookie-[0-9a-f]{8}$/;
const PROXY_ID = /^proxy-[0-9a-f]{8}$/;

function pinOf(row: StoredWatch): WatchPin | null {
  return row.pinCookie === null && row.pinProxy === null ? null : { cookie: row.pinCookie, proxy: row.pinProxy };
}

/** Douyin's sec_uids: base64url text, "MS4wLjABAAAA…" for every one seen. */
const SEC_UID = /^[A-Za-z0-9_-]{8,200}$/;

function targetOf(input: { anchor?: string | null; roomId?: string | null }): Target {
  const anchor = input.anchor?.trim() || null;
  const roomId = input.roomId?.trim() || null;
  if ((anchor === null) === (roomId === null)) throw new WatchError('BAD_WATCH_INPUT', 'give exactly one of anchor and roomId');
  if (roomId !== null) {
    const ref = parseRoomRef(roomId);
    if (ref?.kind !== 'roomId') throw new WatchError('BAD_WATCH_INPUT', 'roomId: a room_id is 17 to 20 digits');
    return { kind: 'ROOM', target: ref.roomId };
  }
  const ref = parseRoomRef(anchor as string);
  if (ref?.kind === 'webRid') return { kind: 'ANCHOR', target: ref.webRid };
  if (!/^\d+$/.test(anchor as string) && SEC_UID.test(anchor as string)) return { kind: 'SEC_UID', target: anchor as string };
  throw new WatchError('BAD_WATCH_INPUT', "anchor: give the anchor's web_rid (up to 16 digits) or sec_uid (MS4wLjABAAAA…)");
}
