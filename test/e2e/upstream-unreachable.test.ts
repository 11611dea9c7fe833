// issue 13: DOUYIN_UPSTREAM=live with no route to Douyin names the state UPSTREAM_UNREACHABLE,
// says so once at warn, and /ready reports it as degraded while staying 200. Issue 12: a webhook
// for UPSTREAM_DEGRADED hears of it, signed, through the whole gateway.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postGraphQL } from './fixtures/graphql-http.ts';
import { startReceiver, type Receiver } from '../live/webhooks/receiver.ts';
import { startStack, until, type Stack } from './stack.ts';

let stack: Stack | null = null;
let receiver: Receiver | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
  await receiver?.close();
  receiver = null;
});

/** A port nothing listens on: every connection is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('no route to Douyin', () => {
  it('puts watched rooms in UPSTREAM_UNREACHABLE, warns once, keeps /ready at 200 with the reason, and sends upstream.degraded', async () => {
    const port = await closedPort();
    stack = await startStack({
      env: {
        DOUYIN_UPSTREAM: 'live',
        DOUYIN_WEB_URL: `http://127.0.0.1:${port}`,
        DOUYIN_PUSH_URL: `ws://127.0.0.1:${port}`,
        HTTP_RETRIES: '0',
        WEBHOOK_ALLOW_PRIVATE: 'true',
      },
    });
    const rooms = ['7690183442860198697', '7690183442860198698', '7690183442860198699'];
    receiver = await startReceiver();
    const created = await postGraphQL<{ createWebhook: { secret: string } }>(
      stack.url,
      'mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }',
      { input: { url: receiver.url, events: ['UPSTREAM_DEGRADED'], roomIds: [rooms[0]] } },
    );
    receiver.secret = created.data!.createWebhook.secret;
    for (const roomId of rooms) stack.gateway.supervisor.watch(roomId);
    await until(() => rooms.every((roomId) => stack!.gateway.supervisor.connectionState(roomId) === 'UPSTREAM_UNREACHABLE'), 'every room unreachable');

    const warnings = stack.logs.lines.filter((line) => line.level === 40 && String(line.msg).startsWith('upstream unreachable'));
    expect(warnings).toHaveLength(1);

    const ready = await fetch(stack.url.replace(/\/graphql$/, '/ready'));
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: { name: string; ok: boolean; degraded?: boolean; state?: string; detail?: string }[] };
    const upstream = body.checks.find((check) => check.name === 'upstream');
    expect(upstream).toMatchObject({ ok: true, degraded: true, state: 'UPSTREAM_UNREACHABLE' });
    expect(upstream?.detail).toContain('unreachable');

    // The webhook covers one of the three rooms: it hears that room lost Douyin, signed.
    await until(() => receiver!.received.length >= 1, 'upstream.degraded delivered');
    expect(receiver.received.map((r) => [r.json.type, r.json.data.roomId, r.json.data.connectionState])).toEqual([
      ['upstream.degraded', rooms[0], 'UPSTREAM_UNREACHABLE'],
    ]);
    expect(receiver.received[0]?.verified).toBe(true);
  });
});
