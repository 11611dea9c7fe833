// issue 12 proofs over the whole gateway, on one shared stack: webhooks created by GraphQL
// mutation (write token), fired by a real broadcast on the simulator and received by a real HTTP
// receiver that verifies the Standard Webhooks signature with node:crypto; a read-scope token is
// refused on every mutation (the schema's list), over HTTP and over graphql-ws; anchors followed to
// their next broadcast by watches and by roomStatus; gift webhooks once per combo against the
// simulator's record; and the dashboard in headless Chromium, gaps included, with screenshots kept
// in test/artifacts. (Receiver outage and gateway restart: webhook-outage.test.ts.)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { buildDashboard } from '../../scripts/build-dashboard.mjs';
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

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping the dashboard e2e: ${CHROMIUM} is missing (apt-get install -y chromium)`);
/** DOM waits: generous for a loaded machine; they return as soon as the page shows it. */
const SHOWN_MS = 15_000;
/** Messages the simulator keeps per room for resending after a reconnect. */
const BACKLOG = 30;

/** The room's connection states as a roomStatus subscription sees them, and how to stop it. */
function roomStates(client: Client, roomId: string): { states: string[]; stop: () => void } {
  const states: string[] = [];
  const stop = client.subscribe(
    { query: 'subscription($ids: [ID!]!) { roomStatus(roomIds: $ids) { connectionState } }', variables: { ids: [roomId] } },
    { next: (value) => states.push(String((value.data as any)?.roomStatus?.connectionState)), error: () => undefined, complete: () => undefined },
  );
  return { states, stop };
}

describe('monitoring over the gateway', () => {
  const bundleDir = mkdtempSync(join(tmpdir(), 'dashboard-bundle-'));
  let stack: Stack;
  let tokens: TokenFile;
  let reader: string;
  let writer: string;
  let receiver: Receiver;
  let bundle: { file: string; bytes: number };

  beforeAll(async () => {
    tokens = tokenFile();
    reader = tokens.add('dashboard', 'read');
    writer = tokens.add('ops', 'write');
    receiver = await startReceiver();
    [stack] = await Promise.all([
      startStack({
        // A short upstream backlog, so the dashboard test can make a gap with a few dozen chats.
        sim: { backlogSize: BACKLOG },
        env: {
          API_TOKENS_FILE: tokens.file,
          WEBHOOK_ALLOW_PRIVATE: 'true',
          WEBHOOK_RETRY_BASE_MS: '20',
          WEBHOOK_RETRY_CAP_MS: '50',
          WEBHOOK_POLL_MS: '20',
          STATUS_POLL_MS: '1000',
          // Gift combos without a FINAL close quickly, so the dashboard's leaderboard settles.
          GIFT_COMBO_IDLE_MS: '300',
        },
        app: { dashboardDir: bundleDir },
      }),
      buildDashboard(bundleDir).then((built) => (bundle = built)),
    ]);
  }, PGLITE_TIMEOUT_MS);
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
    tokens?.cleanup();
    rmSync(bundleDir, { recursive: true, force: true });
  });

  it('refuses a read-scope token on every mutation, over HTTP and graphql-ws, and lets it read', async () => {
    // "Every" is the schema's list, not ours: a mutation added later without a case here fails.
    const introspected = await post(stack, reader, '{ __schema { mutationType { fields { name } } } }');
    const names = (introspected.data.__schema.mutationType.fields as { name: string }[]).map((field) => field.name);
    expect(MUTATIONS.map((mutation) => mutation.name).sort()).toEqual(names.sort());
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
      const { states, stop } = roomStates(client, room.id);
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
      // The rest of the per-webhook metrics: delivered, latency of all three attempts, and an
      // outbox with nothing left waiting.
      expect(metrics).toMatch(new RegExp(`webhook_deliveries_total\\{webhook_id="${webhook.id}",outcome="delivered"\\} 2`));
      expect(metrics).toMatch(new RegExp(`webhook_delivery_seconds_count\\{webhook_id="${webhook.id}"\\} 3`));
      // The gauge is set once the dispatcher's round ends, just after the delivery is recorded.
      await expect.poll(() => stack.metrics.render()).toMatch(new RegExp(`webhook_outbox_depth\\{webhook_id="${webhook.id}"\\} 0`));
      // The secret went to the receiver's signature check, never to a log line.
      expect(stack.logs.raw.join('\n')).not.toContain(secret.replace(/^whsec_/, ''));

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

  it(
    'watches an anchor given by sec_uid: resolved through reflow to their web_rid and current room; bad ones refused with a code',
    async () => {
      const room = stack.sim.createRoom({ rate: 0 });
      const secUid = room.model.anchor.secUid;
      const watch = 'mutation($input: WatchInput!) { watch(input: $input) { id anchor roomId } }';
      const bySecUid = await post(stack, writer, watch, { input: { anchor: secUid } });
      expect(bySecUid.errors).toBeUndefined();
      expect(bySecUid.data.watch).toMatchObject({ anchor: room.webRid, roomId: room.id });
      // The same anchor by web_rid is the same watch.
      const byWebRid = await post(stack, writer, watch, { input: { anchor: room.webRid } });
      expect(byWebRid.data.watch.id).toBe(bySecUid.data.watch.id);

      const bad = await post(stack, writer, watch, { input: { anchor: 'not a sec_uid!' } });
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const unknown = await post(stack, writer, watch, { input: { anchor: 'MS4wLjABAAAAnobodyhasthisone' } });
      expect(unknown.errors?.[0]?.extensions?.code).toBe('ROOM_NOT_FOUND');
      expect((await post(stack, reader, '{ watches { id } }')).data.watches).toEqual([{ id: bySecUid.data.watch.id }]);
      expect((await post(stack, writer, `mutation { unwatch(id: "${bySecUid.data.watch.id}") }`)).data.unwatch).toBe(true);
    },
    PGLITE_TIMEOUT_MS,
  );

  it(
    "fires a gift webhook once per combo, on the combo's total, with minDiamonds applied to that total",
    async () => {
      const room = stack.sim.createRoom({ rate: 0 });
      const client = stack.wsClient({ token: reader });
      const { states, stop } = roomStates(client, room.id);
      // One webhook per threshold: none, and two that cut through the simulator's price range.
      const thresholds = [null, 5, 30] as const;
      const hooks: { minDiamonds: number | null; receiver: Receiver; id: string }[] = [];
      try {
        for (const minDiamonds of thresholds) {
          const hookReceiver = await startReceiver();
          const created = await post(stack, writer, MUTATIONS[0]!.query, { input: { url: hookReceiver.url, events: ['GIFT'], roomIds: [room.id], minDiamonds } });
          expect(created.errors).toBeUndefined();
          hookReceiver.secret = created.data.createWebhook.secret;
          hooks.push({ minDiamonds, receiver: hookReceiver, id: created.data.createWebhook.webhook.id });
        }
        await until(() => states.includes('LIVE'), 'the room live');

        // The simulator's own record of what it sent: each combo's diamonds, summed over its messages.
        const sent = stack.sim.requireRoom(room.id).emit(60, { kinds: ['gift'] }).filter((record) => record.gift !== undefined && !record.duplicate);
        const combos = new Map<string, { diamonds: number; messages: number }>();
        for (const record of sent) {
          const gift = record.gift!;
          const key = `${gift.userId}:${gift.giftId}:${gift.groupId}`;
          const combo = combos.get(key) ?? { diamonds: 0, messages: 0 };
          combos.set(key, { diamonds: combo.diamonds + gift.diamonds, messages: combo.messages + 1 });
        }
        // The data can tell "per combo" from "per message": some combos ran over several messages.
        expect([...combos.values()].some((combo) => combo.messages >= 3)).toBe(true);
        const expectedFor = (min: number | null) => [...combos.values()].filter((combo) => combo.diamonds >= (min ?? 0)).map((combo) => combo.diamonds).sort((a, b) => a - b);
        // ...and the thresholds cut: each one lets fewer combos through than the one before.
        expect(thresholds.map((min) => expectedFor(min).length)).toSatisfy((counts: number[]) => counts[0]! > counts[1]! && counts[1]! > counts[2]! && counts[2]! > 0);

        // Combos that never send repeat_end finish by going idle (GIFT_COMBO_IDLE_MS); every
        // message was stored before then, so the outbox holds all it ever will once the counts match.
        for (const hook of hooks) {
          const expected = expectedFor(hook.minDiamonds);
          await until(async () => {
            const page = await post(stack, reader, `{ webhookDeliveries(webhookId: "${hook.id}", first: 100) { nodes { status } } }`);
            const nodes = page.data.webhookDeliveries.nodes as { status: string }[];
            return nodes.length >= expected.length && nodes.every((node) => node.status === 'DELIVERED');
          }, () => `minDiamonds ${hook.minDiamonds}: ${expected.length} combos delivered, got ${hook.receiver.received.length}`, 20_000);
          const received = hook.receiver.received;
          expect(received.every((r) => r.verified && r.json.type === 'gift' && r.json.data.roomId === room.id)).toBe(true);
          expect(new Set(received.map((r) => r.id)).size, `minDiamonds ${hook.minDiamonds}`).toBe(received.length);
          expect(received.map((r) => r.json.data.totalDiamonds as number).sort((a, b) => a - b), `minDiamonds ${hook.minDiamonds}`).toEqual(expected);
        }
      } finally {
        stop();
        for (const hook of hooks) {
          await post(stack, writer, `mutation { deleteWebhook(id: "${hook.id}") }`);
          await hook.receiver.close();
        }
      }
    },
    PGLITE_TIMEOUT_MS,
  );

  // Last: it adds a watch and a webhook, which the tests above assume absent.
  describe.skipIf(!hasChromium)('the dashboard in Chromium', () => {
    let browser: Browser;
    let page: Page;

    async function postOk(token: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
      const answer = await post(stack, token, query, variables);
      expect(answer.errors).toBeUndefined();
      return answer.data;
    }

    async function screenshot(name: string): Promise<void> {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: `${ARTIFACTS}dashboard-${name}.png`, fullPage: true });
    }

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it(
      'shows watched anchors going live, their events as they arrive, the next broadcast, webhook health, and a gap',
      async () => {
        const room = stack.sim.createRoom({ rate: 0 });
        const created = await postOk(writer, 'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } secret } }', {
          input: { url: receiver.url, events: ['LIVE_STARTED', 'LIVE_ENDED'], anchors: [room.webRid] },
        });
        receiver.secret = created.createWebhook.secret;
        await postOk(writer, 'mutation($input: WatchInput!) { watch(input: $input) { id } }', { input: { anchor: room.webRid, label: '测试主播' } });

        await page.goto(stack.url.replace(/\/graphql$/, '/dashboard'));
        // Tokens are on: without one the gateway refuses the socket and the page says so.
        await page.locator('#connection.refused').waitFor({ timeout: SHOWN_MS });
        await page.fill('#token', reader);
        await page.click('form.token button');
        await page.locator('#connection.connected').waitFor({ timeout: SHOWN_MS });

        const card = page.locator('article.card', { hasText: '测试主播' });
        await card.and(page.locator(`[data-state="LIVE"][data-room-id="${room.id}"]`)).waitFor({ timeout: SHOWN_MS });
        await expect.poll(() => card.locator('.count').textContent(), { timeout: SHOWN_MS }).toMatch(/^\d|万|亿/);

        // The room's chats reach the live event list as they arrive.
        const chats = stack.sim.requireRoom(room.id).emit(3, { kinds: ['chat'] });
        for (const chat of chats) await page.locator('#events li', { hasText: chat.text as string }).first().waitFor({ timeout: SHOWN_MS });

        // A read token cannot add a watch: the form says why.
        await page.fill('.watch-form input[name=target]', '123456789012');
        await page.click('.watch-form button');
        await expect.poll(() => page.locator('.form-error').textContent(), { timeout: SHOWN_MS }).toContain('write');

        // The anchor goes live again with a new room_id: the card follows with no action.
        const next = stack.sim.restartRoom(room.id, { rate: 0 });
        await card.and(page.locator(`[data-state="LIVE"][data-room-id="${next.id}"]`)).waitFor({ timeout: SHOWN_MS });
        const nextChat = stack.sim.requireRoom(next.id).emit(1, { kinds: ['chat'] })[0]!;
        await page.locator('#events li', { hasText: nextChat.text as string }).first().waitFor({ timeout: SHOWN_MS });

        // Webhook health: live.started, live.ended and the next live.started were delivered.
        const hook = page.locator(`tr[data-webhook-id="${created.createWebhook.webhook.id}"]`);
        await expect.poll(() => hook.locator('td.delivered').textContent(), { timeout: SHOWN_MS }).toBe('3');
        expect(receiver.received.every((r) => r.verified)).toBe(true);
        await screenshot('overview');

        // The room page: chat, gifts on the leaderboard with the ledger's diamonds, the viewer chart.
        await page.goto(stack.url.replace(/\/graphql$/, `/dashboard/rooms/${next.id}`));
        await page.locator('#state[data-state="LIVE"]').waitFor({ timeout: SHOWN_MS });
        const sim = stack.sim.requireRoom(next.id);
        const roomChat = sim.emit(2, { kinds: ['chat'] });
        for (const chat of roomChat) await page.locator('#chat li', { hasText: chat.text as string }).first().waitFor({ timeout: SHOWN_MS });

        const pointsBefore = Number((await page.locator('#chart').getAttribute('data-points')) ?? 0);
        sim.emit(3, { kinds: ['viewers'], perFrame: 1 });
        await expect.poll(async () => Number(await page.locator('#chart').getAttribute('data-points')), { timeout: SHOWN_MS }).toBeGreaterThanOrEqual(pointsBefore + 3);

        const gifts = sim.emit(4, { kinds: ['gift'] });
        const gifter = gifts.find((record) => record.gift !== undefined)!.userId!;
        const truth = stack.sim.giftTotals(next.id).byUser.get(gifter)!;
        // Combos end by FINAL or by going idle (GIFT_COMBO_IDLE_MS): then the ledger holds the
        // simulator's own total for the gifter, and so does the page.
        await expect
          .poll(() => page.locator(`#leaderboard li[data-user-id="${gifter}"] .diamonds`).textContent().catch(() => null), { timeout: SHOWN_MS })
          .toBe(`${truth} 钻`);
        const ledger = await postOk(reader, 'query($id: ID!) { liveRoom(roomId: $id) { stats { topGifters(first: 100) { userId diamonds } } } }', { id: next.id });
        expect(ledger.liveRoom.stats.topGifters).toContainEqual({ userId: gifter, diamonds: truth });

        // A stretch Douyin could not resend: the connection drops, reconnecting is refused while
        // more chats go out than the upstream's backlog keeps, then it is allowed again. The page
        // shows the state change and lists the gap.
        expect(await page.locator('#gaps li.empty').count()).toBe(1);
        const refused = stack.sim.injectFault({ target: { roomId: next.id }, fault: { kind: 'refuse-handshake' } })!;
        stack.sim.injectFault({ target: { roomId: next.id }, fault: { kind: 'drop-after-frames', frames: 1 }, times: 1 });
        sim.emit(1, { kinds: ['chat'] });
        await page.locator('#state:not([data-state="LIVE"])').waitFor({ timeout: SHOWN_MS });
        sim.emit(BACKLOG + 10, { kinds: ['chat'], perFrame: 5 });
        stack.sim.clearFaults(refused);
        await page.locator('#gaps li:not(.empty)').first().waitFor({ timeout: 30_000 });
        expect(await page.locator('#gaps li:not(.empty)').first().textContent()).toMatch(/gap .*could not resend/);
        await page.locator('#state[data-state="LIVE"]').waitFor({ timeout: 30_000 });
        await screenshot('room');
      },
      120_000,
    );

    it('is as small as the README says, and declares CJK fonts before the generic family', async () => {
      // The README states the bundle's size: this keeps the figure true as the page changes.
      const stated = /(\d+) KiB minified \((\d+) KiB gzipped\)/.exec(readFileSync(README, 'utf8'));
      expect(stated, 'the README states the dashboard size').not.toBeNull();
      const script = readFileSync(bundle.file);
      expect(Math.round(bundle.bytes / 1024)).toBe(Number(stated![1]));
      expect(Math.round(gzipSync(script).length / 1024)).toBe(Number(stated![2]));

      await page.goto(stack.url.replace(/\/graphql$/, '/dashboard'));
      const families = (await page.evaluate(() => getComputedStyle(document.body).fontFamily)).split(',').map((family) => family.trim().replace(/^"|"$/g, ''));
      const cjk = families.findIndex((family) => /PingFang|YaHei|Noto Sans CJK|WenQuanYi/.test(family));
      expect(cjk, families.join(', ')).toBeGreaterThanOrEqual(0);
      expect(cjk).toBeLessThan(families.indexOf('sans-serif'));
    });

    it('serves the page shell and script without data, and 404s unknown dashboard paths', async () => {
      const base = stack.url.replace(/\/graphql$/, '');
      const shell = await fetch(`${base}/dashboard/rooms/7300000000000000001`);
      expect(shell.headers.get('content-type')).toContain('text/html');
      expect(await shell.text()).toContain('<script type="module" src="/dashboard/assets/dashboard.js">');
      const script = await fetch(`${base}/dashboard/assets/dashboard.js`);
      expect(script.headers.get('content-type')).toContain('text/javascript');
      expect((await script.text()).length).toBeGreaterThan(1000);
      expect((await fetch(`${base}/dashboard/nope`)).status).toBe(404);
      expect((await fetch(`${base}/dashboard`, { method: 'POST' })).status).toBe(405);
    });
  });
});
