// Which webhooks a batch of freshly stored events fires. Runs inside the append transaction
// (an AppendHook), so an event stored is an event whose webhooks are in the outbox, and a
// redelivered event (already stored) fires nothing again.
import { randomUUID } from 'node:crypto';
import type { ConnectionStateEvent, GiftEvent, RoomEvent } from '../../domain/events.ts';
import { insertDeliveries, selectWebhooks, type DeliveryInsert, type WebhookRow } from '../../store/monitor-queries.ts';
import type { AppendHook } from '../../store/sql-event-store.ts';
import type { Sql } from '../../store/sql.ts';
import { eventData, roomPayload, type AnchorInfo, type WebhookEventKind, type WebhookPayload } from './payload.ts';
import { parseFilter, type WebhookFilter } from './filter.ts';

export interface TriggerOptions {
  /** The anchor of a room when known (rooms resolved by this gateway). */
  anchorOf(roomId: string): AnchorInfo | null;
  /** How long a delivery is retried, ms. */
  maxAgeMs: number;
  /** Called after a transaction that queued deliveries commits… or not: the dispatcher just looks. */
  onQueued?: () => void;
  now?: () => number;
}

interface Fired {
  webhookId: string;
  kind: WebhookEventKind;
  payload: WebhookPayload;
}

/** Combos whose FINAL already fired, so a late echo of the FINAL (delta 0) fires nothing. */
const REMEMBERED_COMBOS = 20_000;

export function deliveryId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

export function createWebhookTrigger(options: TriggerOptions): AppendHook & { forget(roomId: string): void } {
  const viewers = new Map<string, number>();
  const firedCombos = new Map<string, number>();
  const now = options.now ?? Date.now;

  const hook = async (sql: Sql, fresh: readonly RoomEvent[]): Promise<void> => {
    if (!fresh.some(mayFire)) return;
    const webhooks = (await selectWebhooks(sql, true)).map((row) => ({ row, filter: parseFilter(row.filter) }));
    if (webhooks.length === 0) {
      fresh.forEach((event) => noteViewers(event));
      return;
    }
    const fired: Fired[] = [];
    for (const event of fresh) {
      const anchor = options.anchorOf(event.roomId);
      for (const { row, filter } of webhooks) {
        if (!coversRoom(filter, event.roomId, anchor)) continue;
        const payload = await firedBy(sql, filter, event, anchor, row);
        if (payload !== null) fired.push({ webhookId: row.id, kind: payload.kind, payload: payload.payload });
      }
      noteViewers(event);
      noteCombo(event);
    }
    if (fired.length === 0) return;
    const at = now();
    const rows: DeliveryInsert[] = fired.map((entry) => ({
      id: deliveryId(),
      webhookId: entry.webhookId,
      type: entry.payload.type,
      payload: JSON.stringify(entry.payload),
      createdAt: at,
      expiresAt: at + options.maxAgeMs,
    }));
    await insertDeliveries(sql, rows);
    options.onQueued?.();
  };

  function noteViewers(event: RoomEvent): void {
    if (event.type === 'ViewerCountEvent') viewers.set(event.roomId, event.current);
  }

  function noteCombo(event: RoomEvent): void {
    if (event.type !== 'GiftEvent' || event.phase !== 'FINAL') return;
    const key = giftComboKey(event);
    firedCombos.delete(key);
    firedCombos.set(key, Math.max(event.totalDiamonds, firedCombos.get(key) ?? 0));
    if (firedCombos.size > REMEMBERED_COMBOS) firedCombos.delete(firedCombos.keys().next().value as string);
  }

  async function firedBy(
    sql: Sql,
    filter: WebhookFilter,
    event: RoomEvent,
    anchor: AnchorInfo | null,
    _row: WebhookRow,
  ): Promise<{ kind: WebhookEventKind; payload: WebhookPayload } | null> {
    const wants = (kind: WebhookEventKind) => filter.events.includes(kind);
    const base = (kind: WebhookEventKind, extra: Record<string, unknown>) => ({ kind, payload: roomPayload(kind, event.createdAt, event.roomId, anchor, extra) });
    switch (event.type) {
      case 'ConnectionStateEvent': {
        if (startsDegradedSpell(event)) {
          return wants('UPSTREAM_DEGRADED') ? base('UPSTREAM_DEGRADED', { connectionState: event.state, reason: event.reason }) : null;
        }
        const kind = event.state === 'LIVE' ? 'LIVE_STARTED' : event.state === 'ENDED' ? 'LIVE_ENDED' : null;
        if (kind === null || !wants(kind) || !(await firstOfItsState(sql, event))) return null;
        return base(kind, { status: event.state === 'LIVE' ? 'LIVE' : 'ENDED', reason: event.reason });
      }
      case 'GiftEvent': {
        if (!wants('GIFT') || event.phase !== 'FINAL') return null;
        const firedAt = firedCombos.get(giftComboKey(event));
        if (firedAt !== undefined && event.totalDiamonds <= firedAt) return null;
        if (filter.minDiamonds !== null && event.totalDiamonds < filter.minDiamonds) return null;
        // A combo this process has not seen finish (it restarted, or took the room over from
        // another instance) may still have finished: the store remembers what memory does not.
        if (firedAt === undefined && (await comboFinishedBefore(sql, event))) return null;
        return base('GIFT', { totalCount: event.totalCount, totalDiamonds: event.totalDiamonds, event: eventData(event) });
      }
      case 'ChatEvent': {
        if (!wants('CHAT_KEYWORD')) return null;
        const content = event.content.toLowerCase();
        const keyword = filter.keywords.find((word) => content.includes(word.toLowerCase()));
        return keyword === undefined ? null : base('CHAT_KEYWORD', { keyword, event: eventData(event) });
      }
      case 'FollowEvent':
        return wants('FOLLOW') ? base('FOLLOW', { event: eventData(event) }) : null;
      case 'ViewerCountEvent': {
        const threshold = filter.viewerThreshold;
        if (!wants('VIEWER_THRESHOLD') || threshold === null) return null;
        if (event.current < threshold) return null;
        // After a restart (or a takeover) memory has no previous count: the store's last one
        // tells whether the room was already above the threshold.
        const before = viewers.get(event.roomId) ?? (await viewersBefore(sql, event));
        if (before !== null && before >= threshold) return null;
        return base('VIEWER_THRESHOLD', { viewerCount: event.current, threshold });
      }
      default:
        return null;
    }
  }

  return Object.assign(hook, {
    forget(roomId: string) {
      viewers.delete(roomId);
    },
  });
}

function mayFire(event: RoomEvent): boolean {
  switch (event.type) {
    case 'ConnectionStateEvent':
      return event.state === 'LIVE' || event.state === 'ENDED' || startsDegradedSpell(event);
    case 'GiftEvent':
      return event.phase === 'FINAL';
    case 'ChatEvent':
    case 'FollowEvent':
    case 'ViewerCountEvent':
      return true;
    default:
      return false;
  }
}

/** The states of a room that lost Douyin: what `upstream.degraded` is about. */
export const DEGRADED_STATES: ReadonlySet<string> = new Set(['UPSTREAM_UNREACHABLE', 'UPSTREAM_DEGRADED']);

/**
 * A room's collector lost Douyin: no answer at all (UPSTREAM_UNREACHABLE), or every cookie/proxy
 * pair quarantined (UPSTREAM_DEGRADED). Fired once as the spell starts, not again when one turns
 * into the other or a retry fails the same way.
 */
function startsDegradedSpell(event: ConnectionStateEvent): boolean {
  return DEGRADED_STATES.has(event.state) && (event.previous === null || !DEGRADED_STATES.has(event.previous));
}

function giftComboKey(event: GiftEvent): string {
  return `${event.roomId}:${event.user?.id ?? '0'}:${event.gift.id}:${event.groupId}:${event.groupId === '0' ? event.id : ''}`;
}

/** The room's viewer count stored just before this event, or null when there is none. */
async function viewersBefore(sql: Sql, event: RoomEvent): Promise<number | null> {
  const rows = await sql.query<{ current: unknown }>(
    `SELECT e.body->>'current' AS current FROM room_events e
     WHERE e.room_id = $1 AND e.type = 'ViewerCountEvent'
       AND e.seq < (SELECT seq FROM room_events WHERE room_id = $1 AND msg_id = $2)
     ORDER BY e.seq DESC LIMIT 1`,
    [event.roomId, event.id],
  );
  const current = rows[0]?.current;
  return current === undefined || current === null ? null : Number(current);
}

/** How many of a room's latest gift events a late echo is looked for among. */
const ECHO_LOOKBACK_GIFTS = 2_000;

/**
 * Whether an earlier stored FINAL of the same combo (room, sender, gift, group) already had at
 * least this total: then this FINAL is a late echo (Douyin repeats repeat_end; the ledger answers
 * a repeat after a restart with FINAL, delta 0) and its combo was sent already. The event itself
 * is already inserted, so "earlier" is by its sequence number.
 */
async function comboFinishedBefore(sql: Sql, event: GiftEvent): Promise<boolean> {
  if (!event.gift.combo || event.groupId === '0') return false;
  // Only the room's latest gifts are looked at (newest first, through the (room, type, seq)
  // index): an echo follows its combo within seconds, and a scan of a whole broadcast's gifts
  // inside every combo's insert would grow with the broadcast.
  const rows = await sql.query<{ n: unknown }>(
    `SELECT count(*) AS n FROM (
       SELECT msg_id, body FROM room_events
       WHERE room_id = $1 AND type = 'GiftEvent'
         AND seq < (SELECT seq FROM room_events WHERE room_id = $1 AND msg_id = $2)
       ORDER BY seq DESC LIMIT ${ECHO_LOOKBACK_GIFTS}
     ) e
     WHERE e.msg_id <> $2 AND e.body->>'phase' = 'FINAL' AND e.body->>'groupId' = $3 AND e.body->'gift'->>'id' = $4
       AND COALESCE(e.body->'user'->>'id', '0') = $5 AND (e.body->>'totalDiamonds')::numeric >= $6`,
    [event.roomId, event.id, event.groupId, event.gift.id, event.user?.id ?? '0', event.totalDiamonds],
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

/**
 * A broadcast starts and ends once: a collector restarted on a live room (a gateway restart, a
 * room watched again) reports LIVE again, which is not a new broadcast. The event is already
 * inserted, so "first" means no earlier stored event of the room in that state.
 */
async function firstOfItsState(sql: Sql, event: ConnectionStateEvent): Promise<boolean> {
  const rows = await sql.query<{ n: unknown }>(
    `SELECT count(*) AS n FROM room_events
     WHERE room_id = $1 AND type = 'ConnectionStateEvent' AND body->>'state' = $2 AND msg_id <> $3`,
    [event.roomId, event.state, event.id],
  );
  return Number(rows[0]?.n ?? 0) === 0;
}

export function coversRoom(filter: WebhookFilter, roomId: string, anchor: AnchorInfo | null): boolean {
  if (filter.roomIds.length === 0 && filter.anchors.length === 0) return true;
  if (filter.roomIds.includes(roomId)) return true;
  if (anchor === null) return false;
  return filter.anchors.some((ref) => ref === anchor.webRid || ref === anchor.secUid);
}
