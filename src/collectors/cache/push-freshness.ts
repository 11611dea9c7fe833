// Push events that carry what a cached HTTP answer says keep that answer current: viewer counts
// are written into the cached room, a room that ends is marked ended in the cached room and live
// status, and rank or product changes drop the cached list so the next read fetches it. The
// stored body stays as Douyin sent it; only the domain view ('model') is patched.
import type { RoomEvent } from '../../domain/events.ts';
import type { LiveRoom, LiveStatus } from '../../domain/model.ts';
import type { UpstreamResponseCache } from './response-cache.ts';
import { cacheTags } from './tags.ts';

type RoomPatch = Partial<Pick<LiveRoom, 'viewerCount' | 'totalViewers' | 'status' | 'finishedAt'>>;

function patchRoom(cache: UpstreamResponseCache, roomId: string, patch: RoomPatch): void {
  cache.patch(cacheTags.room(roomId), 'model', (room) => ({ ...(room as LiveRoom), ...patch }));
}

function markEnded(cache: UpstreamResponseCache, roomId: string, at: number): void {
  patchRoom(cache, roomId, { status: 'ENDED', finishedAt: at });
  cache.patch(cacheTags.status(roomId), 'model', (statuses) =>
    (statuses as LiveStatus[]).map((status) => (status.roomId === roomId ? { ...status, isLive: false } : status)),
  );
}

export function applyPushEvent(cache: UpstreamResponseCache, event: RoomEvent): void {
  switch (event.type) {
    case 'ViewerCountEvent':
      patchRoom(cache, event.roomId, event.total === null ? { viewerCount: event.current } : { viewerCount: event.current, totalViewers: event.total });
      return;
    case 'RoomStatsEvent':
      if (event.kind === 'ONLINE') patchRoom(cache, event.roomId, { viewerCount: event.value });
      else if (event.kind === 'CUMULATIVE') patchRoom(cache, event.roomId, { totalViewers: event.value });
      return;
    case 'RoomStatusEvent':
      if (event.status === 'ENDED') markEnded(cache, event.roomId, event.createdAt);
      else {
        cache.invalidate(cacheTags.room(event.roomId));
        cache.invalidate(cacheTags.status(event.roomId));
      }
      return;
    case 'RankUpdateEvent':
      cache.invalidate(cacheTags.ranks(event.roomId));
      return;
    case 'ProductEvent':
      // A purchase moves sales counts only: those may be a freshness window old.
      if (event.action !== 'PURCHASED') cache.invalidate(cacheTags.promotions(event.roomId));
      return;
    default:
      return;
  }
}

/** For the ingest sink: every event of a batch, in order. */
export function applyPushEvents(cache: UpstreamResponseCache, events: readonly RoomEvent[]): void {
  for (const event of events) applyPushEvent(cache, event);
}
