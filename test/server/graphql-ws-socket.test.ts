// What our socket layer under graphql-ws does itself. Deadlines run on the server's one shared
// clock: a socket that never sends connection_init is closed with 4408, one that sent it is
// not; a client that answers pings keeps being pinged, one that stops answering is cut. Messages
// reach graphql-ws parsed, and what is not a JSON object is still refused with 4400.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { attachGraphQLWs, type GraphQLWsHandle, type GraphQLWsOptions } from '../../src/server/graphql-ws.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { createTestApp, type TestApp } from './helpers.ts';

const opened: { test: TestApp; server: Server; ws: GraphQLWsHandle; clients: WebSocket[] }[] = [];

afterEach(async () => {
  for (const { test, server, ws, clients } of opened.splice(0)) {
    for (const client of clients) client.terminate();
    await ws.close(100);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await test.app.stop();
  }
});

async function serve(options: Partial<GraphQLWsOptions>): Promise<{ open: (clientOptions?: WebSocket.ClientOptions) => Promise<WebSocket> }> {
  const test = createTestApp();
  const server = createServer(test.app.yoga);
  const ws = attachGraphQLWs(server, test.app.yoga, {
    logger: test.logger,
    metrics: createMetrics({ defaultMetrics: false }),
    maxBufferedBytes: 1024 * 1024,
    ...options,
  });
  const entry = { test, server, ws, clients: [] as WebSocket[] };
  opened.push(entry);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    open: async (clientOptions = {}) => {
      const client = new WebSocket(url, 'graphql-transport-ws', clientOptions);
      entry.clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.once('open', () => resolve());
        client.once('error', reject);
      });
      return client;
    },
  };
}

function closeOf(client: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => client.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
}

function frames(client: WebSocket): string[] {
  const seen: string[] = [];
  client.on('message', (data) => seen.push(JSON.parse(String(data)).type as string));
  return seen;
}

describe('graphql-ws socket deadlines', () => {
  it('closes a socket that sends no connection_init with 4408, and keeps one that did', async () => {
    const { open } = await serve({ connectionInitWaitMs: 50, keepAliveMs: 0 });
    const silent = await open();
    const polite = await open();
    const politeFrames = frames(polite);
    let politeClosed = false;
    polite.once('close', () => (politeClosed = true));
    polite.send(JSON.stringify({ type: 'connection_init' }));
    expect(await closeOf(silent)).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    // The polite socket was acknowledged and has seen the same deadline pass.
    await new Promise<void>((resolve) => (politeFrames.length > 0 ? resolve() : polite.once('message', () => resolve())));
    const after = await open();
    await closeOf(after);
    expect(politeFrames).toEqual(['connection_ack']);
    expect(politeClosed).toBe(false);
  });

  it('pings a client again and again while it answers, and cuts one that stops answering', async () => {
    const { open } = await serve({ keepAliveMs: 20 });
    const answering = await open();
    answering.send(JSON.stringify({ type: 'connection_init' }));
    let pings = 0;
    let answeringClosed = false;
    answering.once('close', () => (answeringClosed = true));
    const threePings = new Promise<void>((resolve) =>
      answering.on('ping', () => {
        pings += 1;
        if (pings === 3) resolve();
      }),
    );
    const mute = await open({ autoPong: false });
    mute.send(JSON.stringify({ type: 'connection_init' }));
    const cut = await closeOf(mute);
    await threePings;
    expect(cut.code).toBe(1006);
    expect(answeringClosed).toBe(false);
  });
});

describe('graphql-ws messages', () => {
  it('refuses text that is not JSON, and JSON that is not an object (even one that holds a message), with 4400', async () => {
    const { open } = await serve({});
    for (const text of ['{"type": "connection_init"', JSON.stringify(JSON.stringify({ type: 'connection_init' })), '5', 'null']) {
      const client = await open();
      client.send(text);
      expect(await closeOf(client)).toEqual({ code: 4400, reason: 'Invalid message received' });
    }
  });

  it('acknowledges a connection_init and answers a ping with a pong', async () => {
    const { open } = await serve({});
    const client = await open();
    const seen = frames(client);
    client.send(JSON.stringify({ type: 'connection_init', payload: { hello: 'there' } }));
    client.send(JSON.stringify({ type: 'ping' }));
    await new Promise<void>((resolve) => client.on('message', () => seen.length === 2 && resolve()));
    expect(seen).toEqual(['connection_ack', 'pong']);
  });
});
