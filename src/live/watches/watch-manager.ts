// Watches made by the watch mutation: kept in the store (so they survive restarts), applied to
// the room supervisor, and for an anchor followed across broadcasts by an AnchorFollower, checked
// every poll.
import { randomBytes } from 'node:crypto';
import type { DouyinApi } from '../../collectors/douyin-api.ts';
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
  api: Pick<DouyinApi, 'roomByWebRid'>;
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

  constructor(private readonly options: WatchManagerOptions) {}

  /** Applies every stored watch and starts following anchors. */
  async start(): Promise<void> {
    for (const row of await this.options.store.watches()) await this.apply(row);
    this.timer = setInterval(() => void this.follow(), this.options.pollMs);
    this.timer.unref();
  }

  async add(input: { anchor?: string | null; roomId?: string | null; label?: string | null }): Promise<WatchView> {
    const target = targetOf(input);
    const label = input.label?.trim() || null;
    if (label !== null && label.length > 100) throw new WatchError('BAD_WATCH_INPUT', 'label: at most 100 characters');
    const row: StoredWatch = { id: `w_${randomBytes(8).toString('hex')}`, ...target, label, createdAt: (this.options.now ?? Date.now)() };
    const { row: stored, created } = await this.options.store.addWatch(row);
    if (created || !this.applied.has(stored.id)) await this.apply(stored);
    return this.view(stored.id);
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.options.store.removeWatch(id);
    const applied = this.applied.get(id);
    if (applied !== undefined) letGo(applied);
    this.applied.delete(id);
    return removed;
  }

  list(): WatchView[] {
    return [...this.applied.keys()].map((id) => this.view(id));
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const applied of this.applied.values()) letGo(applied);
    this.applied.clear();
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

  /** Anchors whose room has ended or was never found: is there a new broadcast? */
  private async follow(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
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

function targetOf(input: { anchor?: string | null; roomId?: string | null }): { kind: 'ANCHOR' | 'ROOM'; target: string } {
  const anchor = input.anchor?.trim() || null;
  const roomId = input.roomId?.trim() || null;
  if ((anchor === null) === (roomId === null)) throw new WatchError('BAD_WATCH_INPUT', 'give exactly one of anchor and roomId');
  if (roomId !== null) {
    const ref = parseRoomRef(roomId);
    if (ref?.kind !== 'roomId') throw new WatchError('BAD_WATCH_INPUT', 'roomId: a room_id is 17 to 20 digits');
    return { kind: 'ROOM', target: ref.roomId };
  }
  const ref = parseRoomRef(anchor as string);
  if (ref?.kind !== 'webRid') {
    throw new WatchError('BAD_WATCH_INPUT', 'anchor: give the anchor\'s web_rid (up to 16 digits); sec_uid anchors are not supported yet');
  }
  return { kind: 'ANCHOR', target: ref.webRid };
}
