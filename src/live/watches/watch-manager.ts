// Watches made by the watch mutation: kept in the store (so they survive restarts), applied to
// the room supervisor, and for an anchor followed across broadcasts: when the anchor's room has
// ended (or none could be found), the anchor's web_rid is looked up every poll until a new
// room_id is live, which is then watched in place of the old one.
import { randomBytes } from 'node:crypto';
import type { DouyinApi } from '../../collectors/douyin-api.ts';
import type { ConnectionState } from '../../domain/events.ts';
import { parseRoomRef } from '../../domain/ids.ts';
import type { MonitorStore, StoredWatch } from '../../store/monitor-store.ts';

export interface WatchView {
  id: string;
  /** The anchor's web_rid for an anchor watch; null for a room watch. */
  anchor: string | null;
  /** The room watched now: the anchor's current (or last) broadcast; null while not found. */
  roomId: string | null;
  label: string | null;
  createdAt: number;
}

export interface WatchTargets {
  watch(roomId: string): () => void;
  connectionState(roomId: string): ConnectionState | null;
}

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
  roomId: string | null;
  release: (() => void) | null;
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
    applied?.release?.();
    this.applied.delete(id);
    return removed;
  }

  list(): WatchView[] {
    return [...this.applied.keys()].map((id) => this.view(id));
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const applied of this.applied.values()) applied.release?.();
    this.applied.clear();
  }

  private view(id: string): WatchView {
    const applied = this.applied.get(id) as Applied;
    const { row } = applied;
    return { id: row.id, anchor: row.kind === 'ANCHOR' ? row.target : null, roomId: applied.roomId, label: row.label, createdAt: row.createdAt };
  }

  private async apply(row: StoredWatch): Promise<void> {
    const applied: Applied = { row, roomId: null, release: null };
    this.applied.set(row.id, applied);
    if (row.kind === 'ROOM') this.switchTo(applied, row.target);
    else await this.lookUp(applied);
  }

  private switchTo(applied: Applied, roomId: string): void {
    const previous = applied.release;
    applied.release = this.options.rooms.watch(roomId);
    applied.roomId = roomId;
    // Let go of the ended broadcast only once the new one is held: the supervisor keeps its state.
    previous?.();
  }

  private async lookUp(applied: Applied): Promise<void> {
    try {
      const room = await this.options.api.roomByWebRid(applied.row.target);
      if (this.applied.get(applied.row.id) !== applied) return;
      if (room.id !== applied.roomId && (room.status === 'LIVE' || applied.roomId === null)) this.switchTo(applied, room.id);
    } catch (error) {
      this.options.onError?.(error, `looking up anchor ${applied.row.target}`);
    }
  }

  /** Anchors whose room has ended or was never found: is there a new broadcast? */
  private async follow(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const applied of [...this.applied.values()]) {
        if (applied.row.kind !== 'ANCHOR') continue;
        const state = applied.roomId === null ? null : this.options.rooms.connectionState(applied.roomId);
        if (applied.roomId === null || state === 'ENDED' || state === 'WAITING_FOR_LIVE') await this.lookUp(applied);
      }
    } finally {
      this.polling = false;
    }
  }
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
