// What a webhook listens to, as createWebhook's input gives it and the webhooks table keeps it.
import { WEBHOOK_EVENT_KINDS, type WebhookEventKind } from './payload.ts';

export interface WebhookFilter {
  events: WebhookEventKind[];
  /** web_rids or sec_uids; with roomIds, empty both means every room. */
  anchors: string[];
  roomIds: string[];
  minDiamonds: number | null;
  keywords: string[];
  viewerThreshold: number | null;
}

/** Reads a stored filter leniently: a row written by a newer version keeps what this one knows. */
export function parseFilter(value: unknown): WebhookFilter {
  const raw = (value ?? {}) as Partial<Record<keyof WebhookFilter, unknown>>;
  const strings = (list: unknown) => (Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []);
  const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : null);
  return {
    events: strings(raw.events).filter((kind): kind is WebhookEventKind => (WEBHOOK_EVENT_KINDS as readonly string[]).includes(kind)),
    anchors: strings(raw.anchors),
    roomIds: strings(raw.roomIds),
    minDiamonds: count(raw.minDiamonds),
    keywords: strings(raw.keywords),
    viewerThreshold: count(raw.viewerThreshold),
  };
}
