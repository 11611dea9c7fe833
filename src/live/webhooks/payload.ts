// The webhook body: Standard Webhooks' `{ type, timestamp, data }`, with `data` in the GraphQL
// API's field names (roomId, anchor { webRid secUid nickname }, the event with __typename).
import type { RoomEvent } from '../../domain/events.ts';

export const WEBHOOK_EVENT_KINDS = [
  'LIVE_STARTED',
  'LIVE_ENDED',
  'GIFT',
  'CHAT_KEYWORD',
  'FOLLOW',
  'VIEWER_THRESHOLD',
  'UPSTREAM_DEGRADED',
] as const;

export type WebhookEventKind = (typeof WEBHOOK_EVENT_KINDS)[number];

export const PAYLOAD_TYPE: Record<WebhookEventKind, string> = {
  LIVE_STARTED: 'live.started',
  LIVE_ENDED: 'live.ended',
  GIFT: 'gift',
  CHAT_KEYWORD: 'chat.keyword',
  FOLLOW: 'follow',
  VIEWER_THRESHOLD: 'viewers.threshold',
  UPSTREAM_DEGRADED: 'upstream.degraded',
};

export interface AnchorInfo {
  webRid: string | null;
  secUid: string | null;
  nickname: string | null;
}

export interface WebhookPayload {
  type: string;
  /** ISO-8601: when what the payload reports happened. */
  timestamp: string;
  data: Record<string, unknown>;
}

/** A room event as the GraphQL API shows it: __typename, DateTime as ISO text, no wire method. */
export function eventData(event: RoomEvent): Record<string, unknown> {
  const { type, method: _method, createdAt, ...fields } = event;
  return { __typename: type, ...fields, createdAt: new Date(createdAt).toISOString() };
}

export function roomPayload(kind: WebhookEventKind, at: number, roomId: string, anchor: AnchorInfo | null, extra: Record<string, unknown>): WebhookPayload {
  return { type: PAYLOAD_TYPE[kind], timestamp: new Date(at).toISOString(), data: { roomId, anchor, ...extra } };
}
