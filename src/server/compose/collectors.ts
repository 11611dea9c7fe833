// The collectors subsystem: the room supervisor and its push connections, feeding the live
// pipeline, and the rooms WATCH_ROOMS records continuously.
import { applyPushEvents } from '../../collectors/cache/index.ts';
import { DEFAULT_PROFILE } from '../../collectors/http/index.ts';
import { createPushEndpoint } from '../../collectors/push/endpoint.ts';
import { FrameRecorder } from '../../collectors/push/frame-recorder.ts';
import { PushConnection, type PushConnectionHooks } from '../../collectors/push/push-connection.ts';
import type { SavedResumePoint } from '../../domain/resume-point.ts';
import type { DedupWindow } from '../../collectors/push/dedup-window.ts';
import { PooledRoomStream } from '../../collectors/pool/pooled-room-stream.ts';
import { parseProxyUrl, type ProxySpec } from '../../collectors/proxy/proxy-url.ts';
import type { LiveRoom } from '../../domain/model.ts';
import { pushAgent } from '../../collectors/proxy/ws-agent.ts';
import { RoomSupervisor, type RoomSupervisorOptions } from '../../collectors/supervisor.ts';
import type { Config } from '../../config.ts';
import type { GiftEvent, RoomEvent } from '../../domain/events.ts';
import { parseRoomRef } from '../../domain/ids.ts';
import type { RoomOwnership } from '../../live/ownership.ts';
import type { LivePipeline } from '../../live/pipeline.ts';
import type { EventStore } from '../../store/event-store.ts';
import type { Logger } from '../logger.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { Closers } from './closers.ts';
import type { Storage } from './storage.ts';
import type { Upstream } from './upstream.ts';

export interface CollectorDeps {
  upstream: Upstream;
  /** The upstream API the supervisor resolves rooms through (the webhooks' recording wrapper). */
  api: RoomSupervisorOptions['api'];
  storage: Storage;
  live: LivePipeline;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Fleet mode: rooms are collected only under their lease; null collects every watched room. */
  ownership: RoomOwnership | null;
  /** Also told of events published without being stored (webhooks fire upstream.degraded on them). */
  onAnnounced?(roomId: string, events: readonly RoomEvent[]): void;
}

export function createCollectors(config: Readonly<Config>, deps: CollectorDeps, closers: Closers): RoomSupervisor {
  const { upstream, storage, live, logger, metrics } = deps;
  const { client, signer, simulator } = upstream;
  const { store } = storage;
  const pushProxy = config.upstream.httpsProxy === null ? null : parseProxyUrl(config.upstream.httpsProxy);
  const recorder = config.store.recordDir === null ? null : new FrameRecorder(config.store.recordDir);
  if (recorder !== null) closers.add('the frame recorder', () => recorder.close());

  const pushConnection = (room: LiveRoom, hooks: PushConnectionHooks, resumeFrom: SavedResumePoint | null, via: PushRoute): PushConnection =>
    new PushConnection({
      roomId: room.id,
      resumeFrom,
      ...(via.dedup === undefined ? {} : { dedup: via.dedup }),
      endpoint: createPushEndpoint({
        roomId: room.id,
        webRid: room.webRid,
        client,
        signer,
        pushBase: simulator?.pushUrl ?? config.push.url,
        preferConfigured: simulator !== null,
        userAgent: DEFAULT_PROFILE.userAgent,
        route: via.route ?? null,
        ...(via.proxy === null ? {} : { agentFor: (url: string) => pushAgent(via.proxy!, url, config.upstream.httpTimeoutMs) }),
      }),
      stallMs: config.push.stallMs,
      isStillLive: async () => (await client.liveStatus([room.id]))[0]?.isLive ?? true,
      onEvents: hooks.onEvents,
      onState: hooks.onState,
      onHandshakeRefused: hooks.onHandshakeRefused,
      onUnreachable: hooks.onUnreachable,
      onRawFrame: recorder === null ? undefined : (direction, bytes) => recorder.record(room.id, direction, bytes),
      onDecoded: (frame) => {
        metrics.frames.inc({ kind: frame.frame.payloadType || 'unknown' });
        for (const event of frame.events) if (event.type === 'UnknownEvent') metrics.unknownMethods.inc({ method: event.method });
      },
      onDecodeError: (error) => metrics.decodeErrors.inc({ reason: error.code }),
      onDuplicate: () => metrics.dedupHits.inc(),
      onReconnect: (reason) => {
        metrics.reconnects.inc({ reason: reconnectReason(reason) });
        logger.info({ roomId: room.id, reason }, 'push reconnect');
      },
    });

  const supervisor = new RoomSupervisor({
    api: deps.api,
    lingerMs: config.push.lingerMs,
    statusPollMs: config.push.statusPollMs,
    giftIdleMs: config.push.giftComboIdleMs,
    countedGifts: (roomId) => recentGifts(store, roomId, Date.now() - GIFT_SEED_WINDOW_MS),
    sink: (roomId, events, resume, epoch = null) => {
      if (upstream.cache !== null) applyPushEvents(upstream.cache, events);
      live.ingest.accept(roomId, events, resume ? () => live.resumeSaver.stored(roomId, resume, epoch) : undefined, epoch);
    },
    leased: deps.ownership !== null,
    onRoomsChanged: () => deps.ownership?.roomsChanged(),
    announce: (roomId, events) => {
      live.ingest.announce(roomId, events);
      deps.onAnnounced?.(roomId, events);
    },
    savedResumePoint: (roomId) => store.resumePoint(roomId),
    lastStoredAt: async (roomId) => {
      const page = await store.listEvents(roomId, { first: 20, newest: true });
      const received = page.events.filter((event) => event.type !== 'ConnectionStateEvent' && event.type !== 'StreamGapEvent');
      return received.length === 0 ? null : Math.max(...received.map((event) => event.createdAt));
    },
    openStream: (room, hooks, resumeFrom) => {
      const pool = upstream.pool;
      if (pool === null) return pushConnection(room, hooks, resumeFrom, { proxy: pushProxy });
      return new PooledRoomStream({
        roomId: room.id,
        pool,
        hooks,
        resumeFrom,
        sessionWatch: config.upstream.pool.sessionWatch,
        connect: (pair, pairHooks, from, dedup) => pushConnection(room, pairHooks, from, { proxy: pair.proxy, route: pair.id, dedup }),
        onMove: (from, to, reason) => {
          metrics.upstreamPoolMoves.inc({ pair: from.id });
          logger.info({ roomId: room.id, from: from.id, to: to?.id ?? null, reason }, 'room moved to another upstream pair');
        },
      });
    },
  });
  storage.onBackpressure((paused) => supervisor.setPaused(paused));
  closers.add('the collectors', () => supervisor.stop());
  return supervisor;
}

/** How one push connection reaches Douyin: the pool pair (cookie via its id) and its proxy. */
interface PushRoute {
  proxy: ProxySpec | null;
  route?: string;
  dedup?: DedupWindow;
}

/** Combos run for seconds to minutes; gifts older than this cannot continue a combo. */
const GIFT_SEED_WINDOW_MS = 30 * 60_000;
const GIFT_SEED_MAX = 20_000;

async function recentGifts(store: EventStore, roomId: string, since: number): Promise<GiftEvent[]> {
  const gifts: GiftEvent[] = [];
  let after: string | null = null;
  while (gifts.length < GIFT_SEED_MAX) {
    const page = await store.listEvents(roomId, { first: 1000, after, types: ['GiftEvent'], since });
    for (const event of page.events) if (event.type === 'GiftEvent') gifts.push(event);
    if (!page.hasNextPage || page.endCursor === null) break;
    after = page.endCursor;
  }
  return gifts;
}

/** WATCH_ROOMS may name web_rids: the anchor's current broadcast is the one recorded. */
export async function watchConfiguredRooms(
  config: Readonly<Config>,
  client: { roomByWebRid(webRid: string): Promise<{ id: string }> },
  supervisor: Pick<RoomSupervisor, 'keepWatching' | 'watch'>,
  logger: Logger,
): Promise<void> {
  for (const entry of config.push.watchRooms) {
    const ref = parseRoomRef(entry);
    if (ref === null) continue;
    try {
      const roomId = ref.kind === 'roomId' ? ref.roomId : (await client.roomByWebRid(ref.webRid)).id;
      supervisor.keepWatching(roomId);
      supervisor.watch(roomId);
      logger.info({ roomId }, 'recording room continuously (WATCH_ROOMS)');
    } catch (error) {
      logger.warn({ room: entry, err: error }, 'could not resolve a WATCH_ROOMS entry');
    }
  }
}

/** Reconnect reasons carry details (close codes, messages): keep the metric's labels few. */
function reconnectReason(reason: string): string {
  if (reason.startsWith('handshake refused')) return 'blocked';
  if (reason.startsWith('closed')) return 'closed';
  if (reason.startsWith('socket error')) return 'error';
  if (reason.startsWith('no frame')) return 'stalled';
  return 'other';
}
