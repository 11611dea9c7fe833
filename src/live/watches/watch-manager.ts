// Watches made by the watch mutation: kept in the store (so they survive restarts), applied to
// the room supervisor, and for an anchor followed across broadcasts by an AnchorFollower, checked
// every poll.
import { randomBytes } from 'node:crypto';
import type { DouyinApi } from '../../collectors/douyin-api.ts';
import type { LiveRoom } from '../../domain/model.ts';
import { parseRoomRef } from '../../domain/ids.ts';
import type { MonitorStore, StoredWatch } from '../../store/monitor-store.ts';
import { AnchorFollower, type FollowTargets } from './anchor-follower.ts';

export interface WatchView {
  id: string;
  /** The anchor's web_rid for an anchor watch; null for a room watch. */
  anchor: string | null;
  /** The room watched now: the anchor's current (or last) broadcast; null while not found. */
  roomId: string | null;
  label: string | null;
  createdAt: number;
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
  private stopped = false;

  constructor(private readonly options: WatchManagerOptions) {}

  /** Applies every stored watch and starts following anchors. */
  async start(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => void this.follow(), this.options.pollMs);
    this.timer.unref();
  }

  async add(input: { anchor?: string | null; roomId?: string | null; label?: string | null }): Promise<WatchView> {
    const target = await this.resolved(targetOf(input));
    const label = input.label?.trim() || null;
    if (label !== null && label.length > 100) throw new WatchError('BAD_WATCH_INPUT', 'label: at most 100 characters');
    const row: StoredWatch = { id: `w_${randomBytes(8).toString('hex')}`, ...target, label, createdAt: (this.options.now ?? Date.now)() };
    const { row: stored } = await this.options.store.addWatch(row);
    // A sync may have applied the new row already (it reads the store too): apply it once.
    if (!this.applied.has(stored.id)) await this.apply(stored);
    return this.view(stored.id);
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.options.store.removeWatch(id);
    const applied = this.applied.get(id);
    if (applied !== undefined) letGo(applied);
    this.applied.delete(id);
    return removed;
  }

  /** Every watch in the store, including those another instance added (fleet mode). */
  async list(): Promise<WatchView[]> {
    await this.sync();
    return [...this.applied.keys()].map((id) => this.view(id));
  }

  /**
   * Brings this instance in line with the store. With several instances on one database a watch
   * is added or removed through any of them; each applies what it finds here, on every poll and
   * before answering `watches`, so every instance holds every watch (the room's lease picks the
   * one that collects) and one that was removed elsewhere stops being collected here too.
   */
  private async sync(): Promise<void> {
    // Only what was applied before the read can have been removed: a row add() applies while
    // the read is under way is not in it, and must not be let go.
    const before = new Set(this.applied.keys());
    const rows = await this.options.store.watches();
    const stored = new Set(rows.map((row) => row.id));
    for (const [id, applied] of [...this.applied]) {
      if (!before.has(id) || stored.has(id)) continue;
      letGo(applied);
      this.applied.delete(id);
    }
    // has() and apply()'s own set() run with no await between them: no row is applied twice.
    for (const row of rows) if (!this.stopped && !this.applied.has(row.id)) await this.apply(row);
  }

  stop(): void {
    // A sync still reading the store applies nothing after this.
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
    return { id: row.id, anchor: row.kind === 'ANCHOR' ? row.target : null, roomId, label: row.label, createdAt: row.createdAt };
  }

  private async apply(row: StoredWatch): Promise<void> {
    if (row.kind === 'ROOM') {
      this.applied.set(row.id, { row, release: this.options.rooms.watch(row.target), follower: null });
      return;
    }
    const follower = new AnchorFollower(row.target, { api: this.options.api, rooms: this.options.rooms, ...(this.options.onError ? { onError: this.options.onError } : {}) });
    this.applied.set(row.id, { row, release: null, follower });
    await follower.start();
  }

  /** Watches added or removed elsewhere; anchors whose room has ended or was never found: is there a new broadcast? */
  private async follow(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      // The store out for a while: keep the watches applied as they are and try at the next poll.
      await this.sync().catch((error: unknown) => this.options.onError?.(error, 'reading the watches'));
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
