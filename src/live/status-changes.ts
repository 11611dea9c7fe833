// roomStatus(roomIds): each room's current collector state first, then every change. Watching
// the rooms is what gives them a state; the schema's watchedStream holds that watch on each plain
// room before subscribing here. An anchor (web_rid) is followed here instead: its broadcast ends,
// the stream says it waits for the next one, and the anchor's next room_id is watched and
// reported as it resolves and goes live, with no action from the subscriber.
import type { DouyinApi } from '../collectors/douyin-api.ts';
import type { RoomSupervisor } from '../collectors/supervisor.ts';
import type { ConnectionState } from '../domain/events.ts';
import type { RoomStatus } from '../domain/model.ts';
import type { AnchorStart, RoomStatusChange, RoomStatusSource } from './ports.ts';
import { boundedStream, type StreamSink } from './stream.ts';
import { AnchorFollower } from './watches/anchor-follower.ts';

const STATUS_BY_STATE: Partial<Record<ConnectionState, RoomStatus>> = {
  LIVE: 'LIVE',
  STALLED: 'LIVE',
  RECONNECTING: 'LIVE',
  ENDED: 'ENDED',
};

export function statusOf(state: ConnectionState | null): RoomStatus | null {
  return state === null ? null : (STATUS_BY_STATE[state] ?? null);
}

export interface AnchorFollowing {
  api: Pick<DouyinApi, 'roomByWebRid'>;
  /** How often an anchor whose broadcast ended is looked up again. */
  pollMs: number;
  onError?(error: unknown, doing: string): void;
}

type StatusRooms = Pick<RoomSupervisor, 'onStateChange' | 'connectionState' | 'watch'>;

export const WAITING_FOR_NEXT_BROADCAST = "the broadcast ended; waiting for the anchor's next one";

export function createStatusChanges(supervisor: StatusRooms, following: AnchorFollowing | null = null, now: () => number = Date.now): RoomStatusSource {
  return {
    subscribe(roomIds, signal, anchors = []) {
      if (anchors.length > 0 && following === null) throw new Error('this status source cannot follow anchors');
      const wanted = new Set(roomIds);
      const anchorOf = new Map<string, string>();
      return boundedStream<RoomStatusChange>(
        STATUS_BUFFER,
        (sink) => {
          const change = (roomId: string, at: number, state: ConnectionState | null, reason: string | null): RoomStatusChange => ({
            roomId,
            anchor: anchorOf.get(roomId) ?? null,
            at,
            connectionState: state,
            status: statusOf(state),
            reason,
          });
          const followers = new Map<string, AnchorFollower>();
          const stopListening = supervisor.onStateChange((roomId, event) => {
            if (!wanted.has(roomId)) return;
            sink.push(change(roomId, event.createdAt, event.state, event.reason));
            if (event.state === 'ENDED') waitForNext(roomId);
          });
          /** An anchor's broadcast ended: say so, and look for the next one at once. */
          const waitForNext = (roomId: string): void => {
            const follower = followers.get(anchorOf.get(roomId) ?? '');
            if (follower?.roomId !== roomId) return;
            sink.push({ ...change(roomId, now(), 'WAITING_FOR_LIVE', WAITING_FOR_NEXT_BROADCAST), status: 'ENDED' });
            void follower.check();
          };
          for (const roomId of wanted) sink.push(change(roomId, now(), supervisor.connectionState(roomId), null));
          const stopFollowing =
            following === null ? () => {} : follow(anchors, following, supervisor, { wanted, anchorOf, followers, sink, change, waitForNext, now, kept: new Set(roomIds) });
          return () => {
            stopListening();
            stopFollowing();
          };
        },
        signal,
      );
    },
  };
}

interface FollowState {
  wanted: Set<string>;
  anchorOf: Map<string, string>;
  followers: Map<string, AnchorFollower>;
  /** Rooms asked for by room_id: reported even after an anchor moved on from them. */
  kept: ReadonlySet<string>;
  sink: StreamSink<RoomStatusChange>;
  change(roomId: string, at: number, state: ConnectionState | null, reason: string | null): RoomStatusChange;
  waitForNext(roomId: string): void;
  now(): number;
}

function follow(anchors: readonly AnchorStart[], following: AnchorFollowing, rooms: StatusRooms, state: FollowState): () => void {
  const { wanted, anchorOf, followers, sink, change } = state;
  for (const { webRid, roomId } of anchors) {
    if (followers.has(webRid)) continue;
    const follower = new AnchorFollower(webRid, {
      api: following.api,
      rooms,
      onRoom: (next, previous) => {
        if (previous !== null && !state.kept.has(previous)) {
          wanted.delete(previous);
          anchorOf.delete(previous);
        }
        anchorOf.set(next, webRid);
        wanted.add(next);
        const current = rooms.connectionState(next);
        sink.push(change(next, state.now(), current, previous === null ? null : `the anchor's next broadcast (after ${previous})`));
        // Already ended when followed (someone else watched it to its end): no change will come.
        if (current === 'ENDED') queueMicrotask(() => state.waitForNext(next));
      },
      ...(following.onError ? { onError: following.onError } : {}),
    });
    followers.set(webRid, follower);
    void follower.start(roomId);
  }
  if (followers.size === 0) return () => {};
  const timer = setInterval(() => followers.forEach((follower) => void follower.check()), following.pollMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    followers.forEach((follower) => follower.stop());
  };
}

/** State changes are rare; a subscriber this far behind is not reading. */
const STATUS_BUFFER = 1_000;
