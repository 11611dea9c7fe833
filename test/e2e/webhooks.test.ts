// issue 12 proofs over the whole gateway: webhooks created by GraphQL mutation (write token),
// fired by a real broadcast on the simulator and received by a real HTTP receiver that verifies
// the Standard Webhooks signature with node:crypto; a read-scope token is refused on every
// mutation, over HTTP and over graphql-ws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/until.ts';
import { PGLITE_TIMEOUT_MS } from '../store/fixtures.ts';
import { startReceiver, type Receiver } from '../live/webhooks/receiver.ts';
import { tokenFile, type TokenFile } from './helpers/vendor.ts';
import { startStack, type Stack } from './stack.ts';

const MUTATIONS: { name: string; query: string; variables: Record<string, unknown> }[] = [
  {
    name: 'createWebhook',
    query: 'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id } } }',
    variables: { input: { url: 'http://127.0.0.1:9/hook', events: ['FOLLOW'] } },
  },
  { name: 'deleteWebhook', query: 'mutation { deleteWebhook(id: "wh_none") }', variables: {} },
  { name: 'redeliverWebhook', query: 'mutation { redeliverWebhook(deliveryId: "msg_none") { id } }', variables: {} },
  { name: 'watch', query: 'mutation { watch(input: { roomId: "7300000000000000001" }) { id } }', variables: {} },
  { name: 'unwatch', query: 'mutation { unwatch(id: "w_none") }', variables: {} },
];

async function post(stack: Stack, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe('webhooks over the gateway', () => {
  let stack: Stack;
  let tokens: TokenFile;
  let reader: string;
  let writer: string;
  let receiver: Receiver;

  beforeAll(async () => {
    tokens = tokenFile();
    reader = tokens.add('dashboard', 'read');
    writer = tokens.add('ops', 'write');
    receiver = await startReceiver();
    stack = await startStack({
      env: { API_TOKENS_FILE: tokens.file, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_CAP_MS: '50', WEBHOOK_POLL_MS: '20', STATUS_POLL_MS: '1000' },
    });
  }, PGLITE_TIMEOUT_MS);
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    tokens?.cleanup();
  });

  it('refuses a read-scope token on every mutation, over HTTP and graphql-ws, and lets it read', async () => {
    for (const mutation of MUTATIONS) {
      const answer = await post(stack, reader, mutation.query, mutation.variables);
      expect(answer.errors?.[0]?.extensions?.code, mutation.name).toBe('FORBIDDEN');
      expect(answer.data ?? null, mutation.name).toBeNull();
    }
    const client = stack.wsClient({ token: reader });
    for (const mutation of MUTATIONS) {
      const result = await new Promise<{ errors?: readonly { extensions?: { code?: unknown } }[] }>((resolve, reject) => {
        client.subscribe({ query: mutation.query, variables: mutation.variables }, { next: resolve, error: reject, complete: () => undefined });
      });
      expect(result.errors?.[0]?.extensions?.code, mutation.name).toBe('FORBIDDEN');
    }
    const read = await post(stack, reader, '{ webhooks { id } watches { id } }');
    expect(read.errors).toBeUndefined();
    // Nothing was created by the refused calls.
    expect(read.data).toEqual({ webhooks: [], watches: [] });
  });

  it(
    'sends live.started and live.ended for a broadcast, signed, and lists the deliveries',
    async () => {
      const created = await post(stack, writer, MUTATIONS[0]!.query, {
        input: { url: receiver.url, events: ['LIVE_STARTED', 'LIVE_ENDED'] },
      });
      expect(created.errors).toBeUndefined();
      const { secret, webhook } = created.data.createWebhook as { secret: string; webhook: { id: string } };
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      receiver.secret = secret;
      receiver.answer(500);

      const room = stack.sim.createRoom({ rate: 0 });
      const client = stack.wsClient({ token: reader });
      const states: string[] = [];
      const stop = client.subscribe(
        { query: 'subscription($ids: [ID!]!) { roomStatus(roomIds: $ids) { connectionState } }', variables: { ids: [room.id] } },
        { next: (value) => states.push(String((value.data as any)?.roomStatus?.connectionState)), error: () => undefined, complete: () => undefined },
      );
      await until(() => states.includes('LIVE'), 'the room live');
      stack.sim.endRoom(room.id);
      await until(() => receiver.received.filter((r) => r.status < 300).length >= 2, 'live.started and live.ended delivered');
      stop();

      // A retried delivery may arrive after a later one: order by when the event happened.
      const delivered = receiver.received.filter((r) => r.status < 300).sort((a, b) => a.json.timestamp.localeCompare(b.json.timestamp));
      expect(delivered.map((r) => r.json.type)).toEqual(['live.started', 'live.ended']);
      expect(delivered.every((r) => r.verified)).toBe(true);
      expect(delivered.map((r) => r.json.data.roomId)).toEqual([room.id, room.id]);
      expect(delivered[0]?.json.data.anchor).toMatchObject({ webRid: room.webRid });
      // The first attempt got a 500: its retry carried the same webhook-id.
      expect(receiver.received[0]?.id).toBe(delivered[0]?.id);

      const page = await post(stack, reader, `{ webhookDeliveries(webhookId: "${webhook.id}", first: 10) { nodes { id type status attempts lastStatus } hasNextPage } }`);
      const nodes = page.data.webhookDeliveries.nodes as { type: string; status: string; attempts: number }[];
      expect(nodes.map((n) => [n.type, n.status, n.attempts])).toEqual([
        ['live.ended', 'DELIVERED', 1],
        ['live.started', 'DELIVERED', 2],
      ]);
      const metrics = await stack.metrics.render();
      expect(metrics).toMatch(new RegExp(`webhook_deliveries_total\\{webhook_id="${webhook.id}",outcome="retrying"\\} 1`));

      expect((await post(stack, writer, `mutation { deleteWebhook(id: "${webhook.id}") }`)).data.deleteWebhook).toBe(true);
    },
    PGLITE_TIMEOUT_MS,
  );

  it(
    'roomStatus given a web_rid follows the anchor: live, ended, waiting, the next room_id, live',
    async () => {
      const room = stack.sim.createRoom({ rate: 0 });
      const client = stack.wsClient({ token: reader });
      const changes: { roomId: string; anchor: string | null; connectionState: string; status: string | null }[] = [];
      const stop = client.subscribe(
        { query: 'subscription($ids: [ID!]!) { roomStatus(roomIds: $ids) { roomId anchor connectionState status } }', variables: { ids: [room.webRid] } },
        { next: (value) => changes.push((value.data as any).roomStatus), error: () => undefined, complete: () => undefined },
      );
      try {
        await until(() => changes.some((c) => c.connectionState === 'LIVE'), 'the first broadcast live');
        const next = stack.sim.restartRoom(room.id, { rate: 0 });
        await until(() => changes.some((c) => c.roomId === next.id && c.connectionState === 'LIVE'), () => `the next broadcast live, got ${JSON.stringify(changes)}`);
        const steps = changes.map((c) => `${c.roomId === room.id ? 'first' : c.roomId === next.id ? 'next' : c.roomId}:${c.connectionState}`);
        // Each broadcast's own steps in order, and the next one only after the first one ended.
        const at = (step: string) => steps.indexOf(step);
        expect(at('first:LIVE')).toBeGreaterThanOrEqual(0);
        expect(at('first:LIVE')).toBeLessThan(at('first:ENDED'));
        expect(at('first:ENDED')).toBeLessThan(at('first:WAITING_FOR_LIVE'));
        expect(at('first:WAITING_FOR_LIVE')).toBeLessThan(at('next:RESOLVING'));
        expect(at('next:RESOLVING')).toBeLessThan(at('next:LIVE'));
        expect(changes.every((c) => c.anchor === room.webRid)).toBe(true);
        expect(changes.find((c) => c.connectionState === 'WAITING_FOR_LIVE')?.status).toBe('ENDED');
      } finally {
        stop();
      }
    },
    PGLITE_TIMEOUT_MS,
  );

  it(
    "follows a watched anchor to its next broadcast: live.ended, then live.started with the new roomId",
    async () => {
      const room = stack.sim.createRoom({ rate: 0 });
      const follower = await startReceiver();
      try {
        const created = await post(stack, writer, MUTATIONS[0]!.query, {
          input: { url: follower.url, events: ['LIVE_STARTED', 'LIVE_ENDED'], anchors: [room.webRid] },
        });
        follower.secret = created.data.createWebhook.secret;
        const watched = await post(stack, writer, 'mutation($input: WatchInput!) { watch(input: $input) { id anchor roomId label } }', {
          input: { anchor: room.webRid, label: '测试主播' },
        });
        expect(watched.errors).toBeUndefined();
        expect(watched.data.watch).toMatchObject({ anchor: room.webRid, roomId: room.id, label: '测试主播' });
        await until(() => follower.received.some((r) => r.json.type === 'live.started'), 'live.started of the first broadcast');

        const next = stack.sim.restartRoom(room.id, { rate: 0 });
        expect(next.id).not.toBe(room.id);
        await until(() => follower.received.filter((r) => r.json.type === 'live.started').length >= 2, 'live.started of the next broadcast', 20_000);
        const seen = follower.received
          .filter((r) => r.status < 300)
          .sort((a, b) => a.json.timestamp.localeCompare(b.json.timestamp))
          .map((r) => [r.json.type, r.json.data.roomId]);
        expect(seen).toEqual([
          ['live.started', room.id],
          ['live.ended', room.id],
          ['live.started', next.id],
        ]);
        expect(follower.received.every((r) => r.verified)).toBe(true);
        expect(new Set(follower.received.map((r) => r.id)).size).toBe(3);

        const listed = await post(stack, reader, '{ watches { id anchor roomId connectionState } }');
        expect(listed.data.watches).toEqual([{ id: watched.data.watch.id, anchor: room.webRid, roomId: next.id, connectionState: 'LIVE' }]);
        expect((await post(stack, writer, `mutation { unwatch(id: "${watched.data.watch.id}") }`)).data.unwatch).toBe(true);
        expect((await post(stack, reader, '{ watches { id } }')).data.watches).toEqual([]);
      } finally {
        await follower.close();
      }
    },
    PGLITE_TIMEOUT_MS,
  );
});
