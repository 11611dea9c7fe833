// Webhooks: createWebhook / deleteWebhook / redeliverWebhook mutations and the webhooks and
// webhookDeliveries queries. The names are a contract with clients (issue 12): keep them.
import { GraphQLError } from 'graphql';
import { isWebhookError } from '../live/webhooks/errors.ts';
import { WEBHOOK_EVENT_KINDS } from '../live/webhooks/payload.ts';
import type { WebhookAdmin, WebhookView } from '../live/webhooks/admin.ts';
import type { StoredDelivery } from '../store/monitor-store.ts';
import { builder } from './builder.ts';
import type { SchemaContext } from './context.ts';
import { badUserInput, callPort } from './errors.ts';

const WebhookEventKindEnum = builder.enumType('WebhookEventKind', {
  description: 'What a webhook is sent for; the payload `type` is given per value.',
  values: {
    LIVE_STARTED: { description: '`live.started`: a watched room (or an anchor\'s new broadcast) went live.' },
    LIVE_ENDED: { description: '`live.ended`: the broadcast ended.' },
    GIFT: { description: '`gift`: a gift combo finished (once per combo, with its total; minDiamonds applies to the total).' },
    CHAT_KEYWORD: { description: '`chat.keyword`: a chat contains one of the keywords (case-insensitive).' },
    FOLLOW: { description: '`follow`: someone followed the anchor.' },
    VIEWER_THRESHOLD: { description: '`viewers.threshold`: the viewer count reached viewerThreshold from below.' },
    UPSTREAM_DEGRADED: {
      description: '`upstream.degraded`: a covered room lost Douyin (UPSTREAM_UNREACHABLE, or every upstream cookie/proxy pair quarantined); once per spell, not again while it lasts.',
    },
  } as const satisfies Record<(typeof WEBHOOK_EVENT_KINDS)[number], unknown>,
});

const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { description: 'Waiting for its next attempt.' },
    DELIVERED: { description: 'The target answered 2xx.' },
    DEAD: { description: 'Retried until its window passed, or its webhook was disabled: a dead letter; redeliverWebhook sends it again.' },
  } as const,
});

const WebhookRef = builder.objectRef<WebhookView>('Webhook').implement({
  description: 'A URL the gateway POSTs signed events to (Standard Webhooks).',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    events: t.field({ type: [WebhookEventKindEnum], resolve: (hook) => hook.filter.events }),
    anchors: t.idList({ resolve: (hook) => hook.filter.anchors }),
    roomIds: t.idList({ resolve: (hook) => hook.filter.roomIds }),
    minDiamonds: t.int({ nullable: true, resolve: (hook) => hook.filter.minDiamonds }),
    keywords: t.stringList({ resolve: (hook) => hook.filter.keywords }),
    viewerThreshold: t.int({ nullable: true, resolve: (hook) => hook.filter.viewerThreshold }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true, description: 'Set when the target answered 410 Gone.' }),
    disabledReason: t.exposeString('disabledReason', { nullable: true }),
  }),
});

const CreateWebhookPayloadRef = builder.objectRef<{ webhook: WebhookView; secret: string }>('CreateWebhookPayload').implement({
  fields: (t) => ({
    webhook: t.field({ type: WebhookRef, resolve: (payload) => payload.webhook }),
    secret: t.exposeString('secret', { description: 'The signing secret (whsec_…), shown only in this answer.' }),
  }),
});

const WebhookDeliveryRef = builder.objectRef<StoredDelivery>('WebhookDelivery').implement({
  description: 'One event for one webhook: the same id (the webhook-id header) on every attempt.',
  fields: (t) => ({
    id: t.exposeID('id'),
    webhookId: t.exposeID('webhookId'),
    type: t.exposeString('type', { description: 'The payload type, e.g. live.started.' }),
    status: t.field({ type: DeliveryStatusEnum, resolve: (delivery) => delivery.status as 'PENDING' | 'DELIVERED' | 'DEAD' }),
    attempts: t.exposeInt('attempts'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (delivery) => (delivery.status === 'PENDING' ? delivery.nextAttemptAt : null) }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    lastStatus: t.exposeInt('lastStatus', { nullable: true, description: "The target's last HTTP status, when it answered." }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'The start of the last failure (never a whole response body).' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    payload: t.exposeString('payload', { description: 'The exact JSON body sent.' }),
  }),
});

const WebhookDeliveryConnectionRef = builder
  .objectRef<{ deliveries: StoredDelivery[]; hasNextPage: boolean; endCursor: string | null }>('WebhookDeliveryConnection')
  .implement({
    fields: (t) => ({
      nodes: t.field({ type: [WebhookDeliveryRef], description: 'Newest first.', resolve: (page) => page.deliveries }),
      hasNextPage: t.exposeBoolean('hasNextPage'),
      endCursor: t.exposeString('endCursor', { nullable: true }),
    }),
  });

const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => ({
    url: t.string({ required: true }),
    events: t.field({ type: [WebhookEventKindEnum], required: true }),
    anchors: t.idList({ description: 'web_rids or sec_uids; with roomIds left out too, every room.' }),
    roomIds: t.idList(),
    minDiamonds: t.int({ description: "GIFT only: a combo's total diamonds must reach this." }),
    keywords: t.stringList({ description: 'CHAT_KEYWORD: any of these in a chat fires it.' }),
    viewerThreshold: t.int({ description: 'VIEWER_THRESHOLD: fires when the viewer count reaches this from below.' }),
  }),
});

function admin(context: SchemaContext): WebhookAdmin {
  if (!context.webhooks) throw new GraphQLError('this gateway runs without an event store, so it has no webhooks', { extensions: { code: 'HISTORY_DISABLED' } });
  return context.webhooks;
}

/** WebhookError codes pass to the client as they are (WEBHOOK_PRIVATE_ADDRESS, …). */
async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await callPort(work);
  } catch (error) {
    if (isWebhookError(error)) throw new GraphQLError(error.message, { extensions: { code: error.code } });
    throw error;
  }
}

builder.queryField('webhooks', (t) =>
  t.field({ type: [WebhookRef], description: 'Every webhook, enabled or not (secrets are never shown again).', resolve: (_root, _args, context) => run(() => admin(context).list()) }),
);

builder.queryField('webhookDeliveries', (t) =>
  t.field({
    type: WebhookDeliveryConnectionRef,
    description: "A webhook's deliveries, newest first, dead letters included.",
    args: { webhookId: t.arg.id({ required: true }), first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, args, context) => {
      const first = args.first ?? 20;
      if (first < 1 || first > 100) throw badUserInput('first: 1 to 100', 'first');
      return run(() => admin(context).deliveries(args.webhookId, first, args.after ?? null));
    },
  }),
);

builder.mutationField('createWebhook', (t) =>
  t.field({
    type: CreateWebhookPayloadRef,
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    resolve: (_root, { input }, context) =>
      run(() =>
        admin(context).create(input.url, {
          events: [...new Set(input.events)],
          anchors: input.anchors ?? [],
          roomIds: input.roomIds ?? [],
          minDiamonds: input.minDiamonds ?? null,
          keywords: input.keywords ?? [],
          viewerThreshold: input.viewerThreshold ?? null,
        }),
      ),
  }),
);

builder.mutationField('deleteWebhook', (t) =>
  t.boolean({ args: { id: t.arg.id({ required: true }) }, description: 'False when there was no such webhook.', resolve: (_root, args, context) => run(() => admin(context).remove(args.id)) }),
);

builder.mutationField('redeliverWebhook', (t) =>
  t.field({
    type: WebhookDeliveryRef,
    description: 'Sends a delivery (a dead letter, say) again, with the same webhook-id.',
    args: { deliveryId: t.arg.id({ required: true }) },
    resolve: (_root, args, context) => run(() => admin(context).redeliver(args.deliveryId)),
  }),
);
