// Webhooks as one subsystem: the trigger inside every event append, the dispatcher that sends
// the outbox, and the admin the schema calls. Built by the gateway once the store is open.
import type { DouyinApi } from '../../collectors/douyin-api.ts';
import type { WebhookConfig } from '../../config.ts';
import type { RoomEvent } from '../../domain/events.ts';
import type { LiveRoom } from '../../domain/model.ts';
import type { MonitorStore } from '../../store/monitor-store.ts';
import type { AppendHook } from '../../store/sql-event-store.ts';
import { createWebhookAdmin, type WebhookAdmin } from './admin.ts';
import { WebhookDispatcher, type DispatcherObserver } from './dispatcher.ts';
import type { AnchorInfo } from './payload.ts';
import { createWebhookSender } from './sender.ts';
import { createWebhookTrigger, DEGRADED_STATES } from './trigger.ts';

export interface Webhooks {
  admin: WebhookAdmin;
  /** The room lookups the supervisor makes, recording each room's anchor for payloads and filters. */
  recordingApi(api: DouyinApi): DouyinApi;
  /**
   * Events published without being stored (a room not yet known to exist): the ones that lose
   * Douyin still fire upstream.degraded. A gateway that starts with no route to Douyin never
   * resolves its rooms, and that is the case the webhook is for.
   */
  announced(roomId: string, events: readonly RoomEvent[]): void;
  stop(): Promise<void>;
}

export interface WebhooksOptions {
  config: WebhookConfig;
  monitor: MonitorStore;
  setAppendHook(hook: AppendHook | null): void;
  observer?: Partial<DispatcherObserver>;
}

/** Anchors of rooms seen, bounded: payloads name the anchor, filters match on web_rid or sec_uid. */
const REMEMBERED_ROOMS = 10_000;

export function startWebhooks(options: WebhooksOptions): Webhooks {
  const { config } = options;
  const anchors = new Map<string, AnchorInfo>();
  const remember = (room: LiveRoom): LiveRoom => {
    anchors.delete(room.id);
    anchors.set(room.id, { webRid: room.webRid ?? room.owner?.webRid ?? null, secUid: room.owner?.secUid ?? null, nickname: room.owner?.nickname ?? null });
    if (anchors.size > REMEMBERED_ROOMS) anchors.delete(anchors.keys().next().value as string);
    return room;
  };
  const dispatcher = new WebhookDispatcher({
    store: options.monitor,
    sender: createWebhookSender({ allowPrivate: config.allowPrivate, connectTimeoutMs: config.connectTimeoutMs, responseTimeoutMs: config.responseTimeoutMs }),
    retry: { baseMs: config.retryBaseMs, capMs: config.retryCapMs, maxAgeMs: config.retryMaxMs },
    pollMs: config.pollMs,
    // Longer than one attempt can take, so a claimed delivery is never sent twice at once.
    leaseMs: 2 * (config.connectTimeoutMs + config.responseTimeoutMs),
    observer: options.observer,
  });
  const trigger = createWebhookTrigger({
    anchorOf: (roomId) => anchors.get(roomId) ?? null,
    maxAgeMs: config.retryMaxMs,
    onQueued: () => queueMicrotask(() => dispatcher.kick()),
  });
  options.setAppendHook(trigger);
  let stopped = false;
  dispatcher.start();
  return {
    admin: createWebhookAdmin({ store: options.monitor, allowPrivate: config.allowPrivate, maxAgeMs: config.retryMaxMs, onDue: () => dispatcher.kick() }),
    recordingApi: (api) => ({
      roomByRoomId: async (roomId) => remember(await api.roomByRoomId(roomId)),
      roomByWebRid: async (webRid) => remember(await api.roomByWebRid(webRid)),
      liveStatus: (roomIds) => api.liveStatus(roomIds),
      rankList: (query) => api.rankList(query),
      promotions: (query) => api.promotions(query),
      feed: () => api.feed(),
      giftCatalog: (roomId) => api.giftCatalog(roomId),
    }),
    announced: (_roomId, events) => {
      // Only the degraded states: every other webhook needs the event stored (a broadcast's
      // first LIVE, a combo's earlier FINAL are looked up in the history).
      const degraded = events.filter((event) => event.type === 'ConnectionStateEvent' && DEGRADED_STATES.has(event.state));
      if (degraded.length === 0 || stopped) return;
      options.monitor.transaction((sql) => trigger(sql, degraded)).catch((error: unknown) => options.observer?.error?.(error, 'queueing upstream.degraded'));
    },
    stop: async () => {
      stopped = true;
      options.setAppendHook(null);
      await dispatcher.stop();
    },
  };
}
