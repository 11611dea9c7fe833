// issue 12, fleet mode: several instances share one PostgreSQL outbox and each delivery is sent by
// one of them, never twice. Two instances here are two store connections (as two gateways have),
// each with its own dispatcher and sender, racing over the same rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDispatcher } from '../../../src/live/webhooks/dispatcher.ts';
import type { WebhookFilter } from '../../../src/live/webhooks/filter.ts';
import { createWebhookSender, type WebhookSender } from '../../../src/live/webhooks/sender.ts';
import { generateWebhookSecret } from '../../../src/live/webhooks/signing.ts';
import { createWebhookTrigger } from '../../../src/live/webhooks/trigger.ts';
import { openStores, type OpenedStores } from '../../../src/store/open-store.ts';
import { until } from '../../support/until.ts';
import { follow, newRoomId, T0 } from '../../store/fixtures.ts';
import { TEST_DATABASE_URL, createTestSchema, pgUnavailableReason, type TestSchema } from '../../store/pg-harness.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const unavailable = await pgUnavailableReason();
if (unavailable !== null) console.warn(`skipping the webhook fleet tests: ${unavailable}`);

const FOLLOWS_ONLY: WebhookFilter = { events: ['FOLLOW'], anchors: [], roomIds: [], minDiamonds: null, keywords: [], viewerThreshold: null };
const LEASE_MS = 60_000;

describe.skipIf(unavailable !== null)('webhook outbox shared by two instances on PostgreSQL', () => {
  let schema: TestSchema;
  let url: string;
  const instances: OpenedStores[] = [];

  beforeAll(async () => {
    schema = await createTestSchema('webhook_fleet');
    url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema.schema}`)}`;
    for (let i = 0; i < 2; i += 1) instances.push(await openStores({ databaseUrl: url, dataDir: '/nonexistent/never-used' }));
  });
  afterAll(async () => {
    for (const instance of instances) await instance.store.close();
    await schema?.drop();
  });

  async function addWebhook(receiver: Receiver): Promise<string> {
    const id = `wh_${Math.random().toString(36).slice(2)}`;
    const secret = generateWebhookSecret();
    receiver.secret = secret;
    await instances[0]!.monitor.createWebhook({ id, url: receiver.url, secret, filter: FOLLOWS_ONLY, createdAt: Date.now(), disabledAt: null, disabledReason: null });
    return id;
  }

  /** Queues `count` follow deliveries through instance A's append (the trigger runs in its transaction). */
  async function queueFollows(count: number): Promise<void> {
    const [a] = instances;
    a!.setAppendHook(createWebhookTrigger({ anchorOf: () => null, maxAgeMs: 3_600_000 }));
    const roomId = newRoomId();
    await a!.store.appendEvents(Array.from({ length: count }, (_, i) => follow(roomId, `${roomId}-f${i}`, T0 + i)));
    a!.setAppendHook(null);
  }

  it('claims at once from both instances: every due row goes to exactly one of them', async () => {
    const receiver = await startReceiver();
    try {
      const webhookId = await addWebhook(receiver);
      await queueFollows(30);
      const now = Date.now();
      const [a, b] = await Promise.all(instances.map((instance) => instance.monitor.claimDue(now, 20, LEASE_MS)));
      const ids = [...a!, ...b!].map((row) => row.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(30);
      // A claimed row is reserved for its sender: asked again, neither instance gets any of them.
      const again = await Promise.all(instances.map((instance) => instance.monitor.claimDue(now + 1, 100, LEASE_MS)));
      expect(again.flat()).toEqual([]);
      // Past the lease (the sender died mid-send) the rows are due again, each to one instance.
      const later = now + LEASE_MS + 1;
      const retaken = await Promise.all(instances.map((instance) => instance.monitor.claimDue(later, 20, LEASE_MS)));
      expect(new Set(retaken.flat().map((row) => row.id))).toEqual(new Set(ids));
      expect(retaken.flat()).toHaveLength(30);
      await instances[0]!.monitor.deleteWebhook(webhookId);
    } finally {
      await receiver.close();
    }
  });

  it('two dispatchers racing over one outbox send each delivery once', async () => {
    const receiver = await startReceiver();
    const sent: number[] = [0, 0];
    const dispatchers = instances.map((instance, index) => {
      const real = createWebhookSender({ allowPrivate: true, connectTimeoutMs: 5_000, responseTimeoutMs: 5_000 });
      // Counts what each instance sent, to see that both took part.
      const counting: WebhookSender = { send: (request) => ((sent[index]! += 1), real.send(request)), close: () => real.close() };
      return new WebhookDispatcher({ store: instance.monitor, sender: counting, retry: { baseMs: 20, capMs: 40, maxAgeMs: 3_600_000 }, pollMs: 10, batch: 2, leaseMs: LEASE_MS });
    });
    try {
      const webhookId = await addWebhook(receiver);
      // Some first attempts fail, so retried rows are claimed again by whichever instance is first.
      receiver.answer(500, 500, 503, 500, 429, 500);
      await queueFollows(40);
      for (const dispatcher of dispatchers) dispatcher.start();
      await until(async () => {
        const page = await instances[1]!.monitor.deliveries(webhookId, { first: 100 });
        return page.deliveries.length === 40 && page.deliveries.every((row) => row.status === 'DELIVERED');
      }, () => `all 40 delivered, got ${receiver.received.filter((r) => r.status < 300).length}`, 30_000);
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.idle()));

      const delivered = receiver.received.filter((r) => r.status < 300).map((r) => r.id);
      expect(delivered).toHaveLength(40);
      expect(new Set(delivered).size).toBe(40);
      // Six refused attempts and one success per delivery: no request was made twice.
      expect(receiver.received).toHaveLength(46);
      expect(receiver.received.every((r) => r.verified)).toBe(true);
      expect(sent[0]! + sent[1]!).toBe(46);
      // Both took part, or this would prove nothing about two instances.
      expect(sent.every((count) => count > 0), `sent per instance: ${sent}`).toBe(true);
      await instances[0]!.monitor.deleteWebhook(webhookId);
    } finally {
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()));
      await receiver.close();
    }
  }, 60_000);
});
