// issue 12 proofs, at-least-once delivery over the whole gateway: a webhook receiver that is down
// (connection refused, not an error status) while a watched room's follows fire, and a gateway
// restarted on the same data directory while every delivery is still being retried. When the
// receiver comes back each follow arrives exactly once (by webhook-id), signed, and the watch
// made by mutation before the restart is still there and still collecting after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from './fixtures/graphql-http.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { until } from '../support/until.ts';
import { PGLITE_TIMEOUT_MS } from '../store/fixtures.ts';
import { startReceiver, type Receiver } from '../live/webhooks/receiver.ts';
import { startStack, type Stack } from './stack.ts';

interface Delivery {
  id: string;
  type: string;
  status: string;
  attempts: number;
  lastError: string | null;
  payload: string;
}

async function post(stack: Stack, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const answer = await postGraphQL(stack.url, query, variables);
  expect(answer.errors).toEqual([]);
  return answer.data;
}

async function deliveries(stack: Stack, webhookId: string): Promise<Delivery[]> {
  const data = await post(stack, 'query($id: ID!) { webhookDeliveries(webhookId: $id, first: 100) { nodes { id type status attempts lastError payload } } }', { id: webhookId });
  return data.webhookDeliveries.nodes as Delivery[];
}

describe('webhook delivery through a receiver outage and a gateway restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-outage-'));
  let sim: Simulator;
  let stack: Stack | undefined;
  let receiver: Receiver | undefined;

  // Retries every few tens of ms, so "mid-retry" is wherever the restart lands; the 24 h window
  // (the default) keeps every delivery alive through the outage.
  const start = () =>
    startStack({
      simulator: sim,
      env: { DATA_DIR: join(dir, 'data'), WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_CAP_MS: '50', WEBHOOK_POLL_MS: '20' },
    });

  beforeAll(async () => {
    sim = await startSimulator({ seed: 'webhook-outage', autoTraffic: false, rooms: 1 });
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'retries while the receiver is down, survives the restart, then delivers every follow once',
    async () => {
      // The receiver's port, then the receiver gone: the gateway meets a refused connection.
      const probe = await startReceiver();
      const port = Number(new URL(probe.url).port);
      await probe.close();

      stack = await start();
      const room = sim.createRoom({ rate: 0 });
      const created = await post(stack, 'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id } } }', {
        input: { url: probe.url, events: ['FOLLOW'], roomIds: [room.id] },
      });
      const secret = created.createWebhook.secret as string;
      const webhookId = created.createWebhook.webhook.id as string;
      const watched = await post(stack, 'mutation { watch(input: { roomId: "' + room.id + '", label: "outage" }) { id } }');
      const watchId = watched.watch.id as string;
      await until(async () => (await post(stack!, '{ watches { connectionState } }')).watches[0]?.connectionState === 'LIVE', 'the watched room collected');

      // Follows before the restart: each queued, and each tried more than once against the dead port.
      const before = sim.requireRoom(room.id).emit(4, { kinds: ['follow'] }).filter((record) => !record.duplicate);
      await until(async () => {
        const rows = await deliveries(stack!, webhookId);
        return rows.length === before.length && rows.every((row) => row.status === 'PENDING' && row.attempts >= 2);
      }, 'every delivery retried against the dead receiver');
      const retried = await deliveries(stack, webhookId);
      expect(retried.every((row) => /ECONNREFUSED/.test(row.lastError ?? ''))).toBe(true);

      // The gateway goes away mid-retry and comes back on the same data directory.
      await stack.close();
      stack = undefined;
      stack = await start();
      const watches = await post(stack, '{ watches { id roomId label } }');
      expect(watches.watches).toEqual([{ id: watchId, roomId: room.id, label: 'outage' }]);

      // The receiver is back, where the webhook points.
      receiver = await startReceiver(port);
      receiver.secret = secret;
      // The watch still collects after the restart, with no subscription open.
      await until(async () => (await post(stack!, '{ watches { connectionState } }')).watches[0]?.connectionState === 'LIVE', 'the watched room collected again', 30_000);
      const after = sim.requireRoom(room.id).emit(3, { kinds: ['follow'] }).filter((record) => !record.duplicate);
      const expected = [...before, ...after].map((record) => record.msgId).sort();

      await until(async () => {
        const rows = await deliveries(stack!, webhookId);
        return rows.length === expected.length && rows.every((row) => row.status === 'DELIVERED');
      }, () => `every follow delivered, got ${receiver?.received.length}`, 30_000);

      const received = receiver.received;
      // None lost: every follow the room sent, and nothing else.
      expect(received.map((r) => (r.json.data.event as { id: string }).id).sort()).toEqual(expected);
      // None doubled: one request per delivery, each with its own webhook-id, all signed.
      expect(received).toHaveLength(expected.length);
      expect(new Set(received.map((r) => r.id)).size).toBe(expected.length);
      expect(received.every((r) => r.verified && r.status === 204 && r.json.type === 'follow')).toBe(true);
      // The ids sent are the outbox's own, kept across the retries and the restart.
      const rows = await deliveries(stack, webhookId);
      expect(received.map((r) => r.id).sort()).toEqual(rows.map((row) => row.id).sort());
      expect(rows.filter((row) => retried.some((old) => old.id === row.id))).toHaveLength(before.length);

      // The deliveries page by page (first/after), newest first: the same rows as one page.
      const paged: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages += 1) {
        const data = await post(stack, 'query($id: ID!, $after: String) { webhookDeliveries(webhookId: $id, first: 3, after: $after) { nodes { id } endCursor hasNextPage } }', { id: webhookId, after: cursor });
        const page = data.webhookDeliveries as { nodes: { id: string }[]; endCursor: string | null; hasNextPage: boolean };
        paged.push(...page.nodes.map((node) => node.id));
        if (!page.hasNextPage) break;
        cursor = page.endCursor;
      }
      expect(paged).toEqual(rows.map((row) => row.id));
    },
    4 * PGLITE_TIMEOUT_MS,
  );
});
