// The webhook outbox end to end below the API: events appended to a real PGlite store queue
// deliveries in the same transaction; the dispatcher sends them to a real HTTP receiver, signed;
// retries keep the webhook-id; a store reopened on the same data dir still delivers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStateEvent } from '../../../src/domain/events.ts';
import { graphql } from 'graphql';
import { createWebhookAdmin } from '../../../src/live/webhooks/admin.ts';
import { checkWebhookTarget, isPrivateAddress } from '../../../src/live/webhooks/address-guard.ts';
import { WebhookDispatcher } from '../../../src/live/webhooks/dispatcher.ts';
import type { WebhookFilter } from '../../../src/live/webhooks/filter.ts';
import { createWebhookSender } from '../../../src/live/webhooks/sender.ts';
import { generateWebhookSecret } from '../../../src/live/webhooks/signing.ts';
import { createWebhookTrigger } from '../../../src/live/webhooks/trigger.ts';
import { openStores, type OpenedStores } from '../../../src/store/open-store.ts';
import { IN_MEMORY } from '../../../src/store/pglite-store.ts';
import { schema } from '../../../src/schema/index.ts';
import { until } from '../../support/until.ts';
import { chat, follow, gift, newRoomId, PGLITE_TIMEOUT_MS, ROSE, T0, viewers } from '../../store/fixtures.ts';
import { startReceiver } from './receiver.ts';

const ANCHOR = { webRid: '700000000001', secUid: 'MS4wLjABAAAAanchor', nickname: '主播' };

function state(roomId: string, id: string, at: number, to: ConnectionStateEvent['state']): ConnectionStateEvent {
  return { type: 'ConnectionStateEvent', id, roomId, method: 'ConnectionState', createdAt: at, user: null, cursor: null, state: to, previous: null, reason: null };
}

function filter(overrides: Partial<WebhookFilter>): WebhookFilter {
  return { events: [], anchors: [], roomIds: [], minDiamonds: null, keywords: [], viewerThreshold: null, ...overrides };
}

interface Harness {
  stores: OpenedStores;
  dispatcher: WebhookDispatcher;
  close(): Promise<void>;
}

async function harness(dataDir: string, retry = { baseMs: 20, capMs: 40, maxAgeMs: 60_000 }, random = Math.random): Promise<Harness> {
  const stores = await openStores({ dataDir });
  const dispatcher = new WebhookDispatcher({
    store: stores.monitor,
    sender: createWebhookSender({ allowPrivate: true, connectTimeoutMs: 2_000, responseTimeoutMs: 2_000 }),
    retry,
    pollMs: 20,
    leaseMs: 10_000,
    random,
  });
  stores.setAppendHook(createWebhookTrigger({ anchorOf: () => ANCHOR, maxAgeMs: retry.maxAgeMs, onQueued: () => dispatcher.kick() }));
  dispatcher.start();
  return {
    stores,
    dispatcher,
    close: async () => {
      await dispatcher.stop();
      await stores.store.close();
    },
  };
}

async function addWebhook(stores: OpenedStores, url: string, secret: string, events: WebhookFilter): Promise<string> {
  const id = `wh_${Math.random().toString(36).slice(2)}`;
  await stores.monitor.createWebhook({ id, url, secret, filter: events, createdAt: Date.now(), disabledAt: null, disabledReason: null });
  return id;
}

describe('webhook outbox', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  // Opening PGlite takes seconds: the in-memory tests share one store, each with its own webhooks.
  let shared: Harness | null = null;
  afterAll(async () => shared?.close());

  async function setUp() {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    shared ??= await harness(IN_MEMORY);
    const h = shared;
    cleanups.push(async () => {
      for (const webhook of await h.stores.monitor.webhooks()) await h.stores.monitor.deleteWebhook(webhook.id);
    });
    return { receiver, h };
  }

  it(
    'sends live.started once per broadcast, signed per Standard Webhooks, with GraphQL field names',
    async () => {
      const { receiver, h } = await setUp();
      const secret = generateWebhookSecret();
      receiver.secret = secret;
      await addWebhook(h.stores, receiver.url, secret, filter({ events: ['LIVE_STARTED', 'LIVE_ENDED'] }));
      const roomId = newRoomId();
      await h.stores.store.appendEvents([state(roomId, 's1', T0, 'LIVE')]);
      // A collector restarted on the same live room reports LIVE again: not a new broadcast.
      await h.stores.store.appendEvents([state(roomId, 's2', T0 + 10, 'RECONNECTING'), state(roomId, 's3', T0 + 20, 'LIVE')]);
      await h.stores.store.appendEvents([state(roomId, 's4', T0 + 30, 'ENDED')]);
      await until(() => receiver.received.length >= 2, 'two deliveries');
      await h.dispatcher.idle();
      expect(receiver.received.map((r) => r.json.type)).toEqual(['live.started', 'live.ended']);
      expect(receiver.received.every((r) => r.verified)).toBe(true);
      expect(receiver.received[0]?.id).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(receiver.received[0]?.json.data).toMatchObject({ roomId, anchor: ANCHOR, status: 'LIVE' });
      expect(receiver.received[0]?.json.timestamp).toBe(new Date(T0).toISOString());
      // A wrong secret does not verify: the check above could fail.
      receiver.secret = generateWebhookSecret();
      await h.stores.store.appendEvents([state(newRoomId(), 's5', T0, 'LIVE')]);
      await until(() => receiver.received.length >= 3, 'a third delivery');
      expect(receiver.received[2]?.verified).toBe(false);
    },
    PGLITE_TIMEOUT_MS,
  );

  it(
    'sends upstream.degraded once as a room loses Douyin, not again while it stays lost, and again on the next spell',
    async () => {
      const { receiver, h } = await setUp();
      const secret = generateWebhookSecret();
      receiver.secret = secret;
      await addWebhook(h.stores, receiver.url, secret, filter({ events: ['UPSTREAM_DEGRADED'] }));
      const roomId = newRoomId();
      const after = (event: ConnectionStateEvent, previous: ConnectionStateEvent['state'], reason: string | null = null) => ({ ...event, previous, reason });
      await h.stores.store.appendEvents([after(state(roomId, 'd1', T0, 'UPSTREAM_UNREACHABLE'), 'RESOLVING', 'could not resolve the room: connect ECONNREFUSED')]);
      // Still lost (pool exhausted on top): the same spell.
      await h.stores.store.appendEvents([after(state(roomId, 'd2', T0 + 10, 'UPSTREAM_DEGRADED'), 'UPSTREAM_UNREACHABLE')]);
      await h.stores.store.appendEvents([after(state(roomId, 'd3', T0 + 20, 'LIVE'), 'CONNECTING')]);
      await h.stores.store.appendEvents([after(state(roomId, 'd4', T0 + 30, 'UPSTREAM_DEGRADED'), 'RECONNECTING', 'every upstream cookie/proxy pair is quarantined')]);
      await until(() => receiver.received.length >= 2, 'two deliveries');
      await h.dispatcher.idle();
      expect(receiver.received.map((r) => [r.json.type, r.json.data.connectionState, r.json.data.reason])).toEqual([
        ['upstream.degraded', 'UPSTREAM_UNREACHABLE', 'could not resolve the room: connect ECONNREFUSED'],
        ['upstream.degraded', 'UPSTREAM_DEGRADED', 'every upstream cookie/proxy pair is quarantined'],
      ]);
      expect(receiver.received[0]?.json.data).toMatchObject({ roomId, anchor: ANCHOR });
      expect(receiver.received.every((r) => r.verified)).toBe(true);
    },
    PGLITE_TIMEOUT_MS,
  );

  it(
    'fires a gift once per combo on FINAL, with minDiamonds applied to the combo total',
    async () => {
      const { receiver, h } = await setUp();
      await addWebhook(h.stores, receiver.url, generateWebhookSecret(), filter({ events: ['GIFT'], minDiamonds: 10 }));
      const roomId = newRoomId();
      const combo = { gift: ROSE, groupId: 'combo-1' };
      await h.stores.store.appendEvents([
        gift(roomId, 'g1', T0, { ...combo, phase: 'STARTED', deltaCount: 4, totalCount: 4 }),
        gift(roomId, 'g2', T0 + 1, { ...combo, phase: 'PROGRESS', deltaCount: 8, totalCount: 12 }),
        gift(roomId, 'g3', T0 + 2, { ...combo, phase: 'FINAL', deltaCount: 3, totalCount: 15 }),
        // A late echo of the finished combo (delta 0) must not fire again.
        gift(roomId, 'g4', T0 + 3, { ...combo, phase: 'FINAL', deltaCount: 0, totalCount: 15 }),
        // Each PROGRESS is above 10 on its own terms, but the combo's total (9) is not.
        gift(roomId, 'g5', T0 + 4, { gift: ROSE, groupId: 'combo-2', phase: 'FINAL', deltaCount: 9, totalCount: 9 }),
      ]);
      await h.stores.store.appendEvents([gift(roomId, 'g3', T0 + 2, { ...combo, phase: 'FINAL', deltaCount: 3, totalCount: 15 })]);
      await until(() => receiver.received.length >= 1, 'a gift delivery');
      await h.dispatcher.idle();
      const page = await h.stores.monitor.outboxDepth();
      expect(page.every((row) => row.pending === 0)).toBe(true);
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]?.json).toMatchObject({ type: 'gift', data: { roomId, totalDiamonds: 15, totalCount: 15, event: { __typename: 'GiftEvent', id: 'g3' } } });
    },
    PGLITE_TIMEOUT_MS,
  );

  it(
    'fires a finished combo and a viewer threshold crossing once across a restart: what the next process sees again fires nothing',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'webhook-combo-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const receiver = await startReceiver();
      cleanups.push(() => receiver.close());
      const roomId = newRoomId();
      const combo = { gift: ROSE, groupId: 'combo-r' };
      const first = await harness(dataDir);
      const webhookId = await addWebhook(first.stores, receiver.url, generateWebhookSecret(), filter({ events: ['GIFT', 'VIEWER_THRESHOLD'], viewerThreshold: 100 }));
      await first.stores.store.appendEvents([
        gift(roomId, 'r1', T0, { ...combo, phase: 'FINAL', deltaCount: 5, totalCount: 5 }),
        viewers(roomId, 'v1', T0, 50),
        viewers(roomId, 'v2', T0 + 1, 150),
      ]);
      await first.close();

      // The next process has not seen the combo finish; Douyin repeats its repeat_end. Another
      // combo in the same batch still fires. The outbox is written in the append's transaction:
      // what it holds once the append returns is all the batch fired.
      const second = await harness(dataDir);
      cleanups.push(() => second.close());
      // Likewise the room is still above the viewer threshold: no new crossing until it dips.
      await second.stores.store.appendEvents([
        gift(roomId, 'r2', T0 + 1, { ...combo, phase: 'FINAL', deltaCount: 0, totalCount: 5 }),
        gift(roomId, 'r3', T0 + 2, { gift: ROSE, groupId: 'combo-s', phase: 'FINAL', deltaCount: 2, totalCount: 2 }),
        viewers(roomId, 'v3', T0 + 3, 160),
        viewers(roomId, 'v4', T0 + 4, 90),
        viewers(roomId, 'v5', T0 + 5, 120),
      ]);
      const queued = (await second.stores.monitor.deliveries(webhookId, { first: 10 })).deliveries.map((row) => {
        const payload = JSON.parse(row.payload) as { type: string; data: { event?: { id: string }; viewerCount?: number } };
        return payload.type === 'gift' ? `gift ${payload.data.event?.id}` : `viewers ${payload.data.viewerCount}`;
      });
      expect(queued.sort()).toEqual(['gift r1', 'gift r3', 'viewers 120', 'viewers 150']);
    },
    PGLITE_TIMEOUT_MS,
  );

  it(
    'matches keywords, follows and a viewer threshold crossing, and only for the rooms asked',
    async () => {
      const { receiver, h } = await setUp();
      const roomId = newRoomId();
      await addWebhook(h.stores, receiver.url, generateWebhookSecret(), filter({ events: ['CHAT_KEYWORD', 'FOLLOW', 'VIEWER_THRESHOLD'], keywords: ['抽奖'], viewerThreshold: 100, roomIds: [roomId] }));
      await h.stores.store.appendEvents([
        chat(roomId, 'c1', T0, '今天抽奖吗'),
        chat(roomId, 'c2', T0 + 1, 'hello'),
        follow(roomId, 'f1', T0 + 2),
        viewers(roomId, 'v1', T0 + 3, 50),
        viewers(roomId, 'v2', T0 + 4, 150),
        viewers(roomId, 'v3', T0 + 5, 160),
        chat(newRoomId(), 'c3', T0 + 6, '抽奖'),
      ]);
      await until(() => receiver.received.length >= 3, 'three deliveries');
      await h.dispatcher.idle();
      expect(receiver.received.map((r) => r.json.type).sort()).toEqual(['chat.keyword', 'follow', 'viewers.threshold']);
      expect(receiver.received.find((r) => r.json.type === 'viewers.threshold')?.json.data).toMatchObject({ viewerCount: 150, threshold: 100 });
      expect(receiver.received.find((r) => r.json.type === 'chat.keyword')?.json.data).toMatchObject({ keyword: '抽奖', event: { content: '今天抽奖吗' } });
    },
    PGLITE_TIMEOUT_MS,
  );

  it(
    'retries a failing receiver with the same webhook-id until it answers 2xx, then stops',
    async () => {
      const { receiver, h } = await setUp();
      const secret = generateWebhookSecret();
      receiver.secret = secret;
      const webhookId = await addWebhook(h.stores, receiver.url, secret, filter({ events: ['FOLLOW'] }));
      receiver.answer(500, 503, 429);
      const roomId = newRoomId();
      await h.stores.store.appendEvents([follow(roomId, 'f1', T0), follow(roomId, 'f2', T0 + 1)]);
      await until(async () => (await h.stores.monitor.outboxDepth()).every((row) => row.pending === 0) && receiver.received.filter((r) => r.status < 300).length === 2, 'both delivered');
      await h.dispatcher.idle();
      const ids = receiver.received.map((r) => r.id);
      expect(new Set(ids).size).toBe(2);
      expect(receiver.received).toHaveLength(5);
      expect(receiver.received.every((r) => r.verified)).toBe(true);
      const delivered = receiver.received.filter((r) => r.status < 300).map((r) => r.id);
      expect(new Set(delivered).size).toBe(2);
      const page = await h.stores.monitor.deliveries(webhookId, { first: 10 });
      expect(page.deliveries.map((d) => d.status)).toEqual(['DELIVERED', 'DELIVERED']);
      expect(page.deliveries.reduce((sum, d) => sum + d.attempts, 0)).toBe(5);
    },
    PGLITE_TIMEOUT_MS,
  );

  it(
    'turns a delivery past its retry window into a visible dead letter that can be redelivered; 410 disables',
    async () => {
      const receiver = await startReceiver();
      cleanups.push(() => receiver.close());
      const h = await harness(IN_MEMORY, { baseMs: 20, capMs: 40, maxAgeMs: 100 });
      cleanups.push(() => h.close());
      const webhookId = await addWebhook(h.stores, receiver.url, generateWebhookSecret(), filter({ events: ['FOLLOW'] }));
      receiver.answer(...Array.from({ length: 50 }, () => 500));
      await h.stores.store.appendEvents([follow(newRoomId(), 'f1', T0)]);
      await until(async () => (await h.stores.monitor.deliveries(webhookId, { first: 1 })).deliveries[0]?.status === 'DEAD', 'a dead letter');
      const dead = (await h.stores.monitor.deliveries(webhookId, { first: 1 })).deliveries[0];
      expect(dead?.lastError).toContain('HTTP 500');
      // Redelivery through the API's mutation: back to PENDING, sent again with the same id and
      // answered this time.
      receiver.clearScript();
      const webhooks = createWebhookAdmin({ store: h.stores.monitor, allowPrivate: true, maxAgeMs: 60_000, onDue: () => h.dispatcher.kick() });
      const redelivered = await graphql({
        schema,
        source: 'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status } }',
        variableValues: { id: dead?.id },
        contextValue: { webhooks },
      });
      expect(redelivered.errors).toBeUndefined();
      expect(redelivered.data?.redeliverWebhook).toEqual({ id: dead?.id, status: 'PENDING' });
      await until(() => receiver.received.some((r) => r.status === 204), 'the redelivery');
      expect(receiver.received.at(-1)?.id).toBe(dead?.id);
      // The receiver answers before the dispatcher records the answer: wait for the record.
      await until(async () => (await h.stores.monitor.deliveries(webhookId, { first: 1 })).deliveries[0]?.status === 'DELIVERED', 'the redelivery recorded');
      const unknown = await graphql({ schema, source: 'mutation { redeliverWebhook(deliveryId: "msg_none") { id } }', contextValue: { webhooks } });
      expect(unknown.errors?.[0]?.extensions?.code).toBe('DELIVERY_NOT_FOUND');

      receiver.answer(410);
      await h.stores.store.appendEvents([follow(newRoomId(), 'f2', T0)]);
      await until(async () => (await h.stores.monitor.webhook(webhookId))?.disabledAt !== null, 'the webhook disabled');
      expect((await h.stores.monitor.webhook(webhookId))?.disabledReason).toContain('410');
    },
    PGLITE_TIMEOUT_MS,
  );

  it(
    'keeps undelivered rows across a restart on the same data dir and delivers them after',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'webhook-outbox-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const receiver = await startReceiver();
      cleanups.push(() => receiver.close());
      // The jitter draws its maximum: the retry is due 400 ms after the failure, by then the
      // first instance is gone.
      const first = await harness(dataDir, { baseMs: 400, capMs: 400, maxAgeMs: 3_600_000 }, () => 1);
      const secret = generateWebhookSecret();
      receiver.secret = secret;
      await addWebhook(first.stores, receiver.url, secret, filter({ events: ['FOLLOW'] }));
      receiver.answer(500);
      await first.stores.store.appendEvents([follow(newRoomId(), 'f1', T0)]);
      await until(() => receiver.received.length === 1, 'the first, failed attempt');
      await first.close();

      expect(receiver.received).toHaveLength(1);

      const second = await harness(dataDir, { baseMs: 20, capMs: 40, maxAgeMs: 3_600_000 });
      cleanups.push(() => second.close());
      await until(() => receiver.received.length === 2, 'the delivery after the restart');
      await second.dispatcher.idle();
      const [webhook] = await second.stores.monitor.webhooks();
      const [row] = (await second.stores.monitor.deliveries(webhook?.id as string, { first: 5 })).deliveries;
      expect(row).toMatchObject({ status: 'DELIVERED', attempts: 2 });
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]?.id).toBe(receiver.received[0]?.id);
      expect(receiver.received[1]?.verified).toBe(true);
    },
    PGLITE_TIMEOUT_MS,
  );
});

describe('private-address guard', () => {
  it('refuses loopback, private and link-local targets with a code unless allowed', async () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '0.0.0.0']) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '2606:4700::1111', '8.8.8.8']) expect(isPrivateAddress(address), address).toBe(false);
    await expect(checkWebhookTarget(new URL('http://127.0.0.1:9/hook'), false)).rejects.toMatchObject({ code: 'WEBHOOK_PRIVATE_ADDRESS' });
    await expect(checkWebhookTarget(new URL('http://[::1]:9/hook'), false)).rejects.toMatchObject({ code: 'WEBHOOK_PRIVATE_ADDRESS' });
    await expect(checkWebhookTarget(new URL('http://internal.example/hook'), false, async () => ['10.0.0.5'])).rejects.toMatchObject({ code: 'WEBHOOK_PRIVATE_ADDRESS' });
    await expect(checkWebhookTarget(new URL('http://public.example/hook'), false, async () => ['93.184.216.34'])).resolves.toBeUndefined();
    await expect(checkWebhookTarget(new URL('http://127.0.0.1:9/hook'), true)).resolves.toBeUndefined();
  });

  it('refuses to send to a private address at send time too', async () => {
    const sender = createWebhookSender({ allowPrivate: false, connectTimeoutMs: 500, responseTimeoutMs: 500 });
    const outcome = await sender.send({ id: 'msg_x', url: 'http://127.0.0.1:9/hook', secret: generateWebhookSecret(), body: '{}', timestamp: 1 });
    await sender.close();
    expect(outcome).toMatchObject({ kind: 'failure', code: 'WEBHOOK_PRIVATE_ADDRESS' });
  });
});
