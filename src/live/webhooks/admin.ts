// What the webhook mutations and queries do: validate and store webhooks (the secret is made
// here and shown once), list them and their deliveries, and put a delivery back in the outbox.
import { randomBytes } from 'node:crypto';
import type { MonitorStore, StoredDelivery, StoredWebhook } from '../../store/monitor-store.ts';
import { checkWebhookTarget, parseWebhookUrl, type Resolve } from './address-guard.ts';
import { WebhookError } from './errors.ts';
import type { WebhookFilter } from './filter.ts';
import { parseFilter } from './filter.ts';
import { generateWebhookSecret } from './signing.ts';

export interface WebhookView {
  id: string;
  url: string;
  filter: WebhookFilter;
  createdAt: number;
  disabledAt: number | null;
  disabledReason: string | null;
}

export interface WebhookAdmin {
  create(url: string, filter: WebhookFilter): Promise<{ webhook: WebhookView; secret: string }>;
  remove(id: string): Promise<boolean>;
  list(): Promise<WebhookView[]>;
  deliveries(webhookId: string, first: number, after: string | null): Promise<{ deliveries: StoredDelivery[]; hasNextPage: boolean; endCursor: string | null }>;
  redeliver(deliveryId: string): Promise<StoredDelivery>;
}

export interface WebhookAdminOptions {
  store: MonitorStore;
  allowPrivate: boolean;
  /** How long a redelivered delivery is retried, ms. */
  maxAgeMs: number;
  /** Called when a delivery is due now (redelivery): the dispatcher need not wait a poll. */
  onDue?: () => void;
  resolve?: Resolve;
  now?: () => number;
}

const MAX_LIST = 100;

export function createWebhookAdmin(options: WebhookAdminOptions): WebhookAdmin {
  const now = options.now ?? Date.now;
  const { store } = options;
  return {
    async create(url, filter) {
      checkFilter(filter);
      const target = parseWebhookUrl(url);
      await checkWebhookTarget(target, options.allowPrivate, options.resolve);
      const secret = generateWebhookSecret();
      const row: StoredWebhook = {
        id: `wh_${randomBytes(8).toString('hex')}`,
        url: target.href,
        secret,
        filter,
        createdAt: now(),
        disabledAt: null,
        disabledReason: null,
      };
      await store.createWebhook(row);
      return { webhook: view(row), secret };
    },
    remove: (id) => store.deleteWebhook(id),
    list: async () => (await store.webhooks()).map(view),
    async deliveries(webhookId, first, after) {
      if ((await store.webhook(webhookId)) === null) throw new WebhookError('WEBHOOK_NOT_FOUND', `no webhook ${webhookId}`);
      return store.deliveries(webhookId, { first, after });
    },
    async redeliver(deliveryId) {
      const delivery = await store.delivery(deliveryId);
      if (delivery === null) throw new WebhookError('DELIVERY_NOT_FOUND', `no delivery ${deliveryId}`);
      const webhook = await store.webhook(delivery.webhookId);
      if (webhook?.disabledAt !== null) throw new WebhookError('WEBHOOK_DISABLED', `webhook ${delivery.webhookId} is disabled (${webhook?.disabledReason ?? 'deleted'})`);
      const at = now();
      const requeued = await store.requeue(deliveryId, at, at + options.maxAgeMs);
      if (requeued === null) throw new WebhookError('DELIVERY_NOT_FOUND', `no delivery ${deliveryId}`);
      options.onDue?.();
      return requeued;
    },
  };
}

function view(row: StoredWebhook): WebhookView {
  return { id: row.id, url: row.url, filter: parseFilter(row.filter), createdAt: row.createdAt, disabledAt: row.disabledAt, disabledReason: row.disabledReason };
}

function checkFilter(filter: WebhookFilter): void {
  const bad = (message: string) => new WebhookError('WEBHOOK_BAD_INPUT', message);
  if (filter.events.length === 0) throw bad('events: name at least one event kind');
  if (filter.events.includes('CHAT_KEYWORD') && filter.keywords.length === 0) throw bad('keywords: CHAT_KEYWORD needs at least one keyword');
  if (filter.events.includes('VIEWER_THRESHOLD') && filter.viewerThreshold === null) throw bad('viewerThreshold: VIEWER_THRESHOLD needs a threshold');
  if (filter.minDiamonds !== null && filter.minDiamonds < 0) throw bad('minDiamonds: must not be negative');
  if (filter.viewerThreshold !== null && filter.viewerThreshold < 0) throw bad('viewerThreshold: must not be negative');
  if (filter.keywords.some((word) => word.trim() === '' || word.length > 100)) throw bad('keywords: 1 to 100 characters each');
  if ([filter.anchors, filter.roomIds, filter.keywords].some((list) => list.length > MAX_LIST)) throw bad(`anchors, roomIds, keywords: at most ${MAX_LIST} each`);
}
