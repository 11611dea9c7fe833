// One anchor followed from broadcast to broadcast: a web_rid is fixed per anchor, a room_id is
// new every broadcast. The follower holds a watch on the anchor's current room; while that room
// has ended, is not live yet or was never found, check() looks the anchor up again and, once a
// new room_id is live, watches it in place of the old one. Watches and roomStatus both use it.
import type { DouyinApi } from '../../collectors/douyin-api.ts';
import type { ConnectionState } from '../../domain/events.ts';

export interface FollowTargets {
  watch(roomId: string): () => void;
  connectionState(roomId: string): ConnectionState | null;
}

export interface AnchorFollowerOptions {
  api: Pick<DouyinApi, 'roomByWebRid'>;
  rooms: FollowTargets;
  /** Called once the follower watches a room: the first one found, then each next broadcast. */
  onRoom?(roomId: string, previous: string | null): void;
  onError?(error: unknown, doing: string): void;
}

/** States in which the anchor may have moved on to another room_id. */
const LOOK_AGAIN: ReadonlySet<ConnectionState> = new Set(['ENDED', 'WAITING_FOR_LIVE']);

export class AnchorFollower {
  private current: string | null = null;
  private release: (() => void) | null = null;
  private stopped = false;
  private looking: Promise<void> | null = null;

  constructor(
    readonly webRid: string,
    private readonly options: AnchorFollowerOptions,
  ) {}

  /** The room watched now: the anchor's current (or last) broadcast; null while none was found. */
  get roomId(): string | null {
    return this.current;
  }

  /** Starts on a room already resolved for this anchor, or looks the anchor up. */
  async start(roomId: string | null = null): Promise<void> {
    if (roomId !== null) this.switchTo(roomId);
    else await this.lookUp();
  }

  /** Looks the anchor up when its room has ended, is waiting to go live, or was never found. */
  async check(): Promise<void> {
    if (this.stopped) return;
    const state = this.current === null ? null : this.options.rooms.connectionState(this.current);
    if (this.current === null || (state !== null && LOOK_AGAIN.has(state))) await this.lookUp();
  }

  stop(): void {
    this.stopped = true;
    this.release?.();
    this.release = null;
  }

  private lookUp(): Promise<void> {
    // One lookup at a time: a slow upstream must not pile calls up, one per poll.
    this.looking ??= this.lookUpOnce().finally(() => (this.looking = null));
    return this.looking;
  }

  private async lookUpOnce(): Promise<void> {
    try {
      const room = await this.options.api.roomByWebRid(this.webRid);
      if (this.stopped) return;
      if (room.id !== this.current && (room.status === 'LIVE' || this.current === null)) this.switchTo(room.id);
    } catch (error) {
      this.options.onError?.(error, `looking up anchor ${this.webRid}`);
    }
  }

  private switchTo(roomId: string): void {
    const previous = this.current;
    const releasePrevious = this.release;
    this.release = this.options.rooms.watch(roomId);
    this.current = roomId;
    // Let go of the ended broadcast only once the new one is held: the supervisor keeps its state.
    releasePrevious?.();
    this.options.onRoom?.(roomId, previous);
  }
}
