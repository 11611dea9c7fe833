import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { until } from '../schema/run.ts';
import { createTestApp } from './helpers.ts';

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe('start and stop', () => {
  it('starts and stops many servers in a row, each on a fresh port, leaving nothing listening', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { app } = createTestApp();
      const { url } = await app.start(0, '127.0.0.1');
      const health = await fetch(url.replace('/graphql', '/health'));
      expect(health.status).toBe(200);
      ports.push(portOf(url));
      await app.stop();
      expect(app.httpServer.listening).toBe(false);
      await expect(fetch(url.replace('/graphql', '/health'))).rejects.toThrow();
    }
    expect(new Set(ports).size).toBe(5);
  });

  it('stop() cuts idle keep-alive sockets instead of waiting for their timeout', async () => {
    // A grace period far longer than the test's own timeout: waiting for it would fail the test.
    const { app } = createTestApp({ shutdownGraceMs: 600_000 });
    const { url } = await app.start(0, '127.0.0.1');
    const socket = await openSocket(portOf(url));
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));

    await app.stop();
    // 'close' passes hadError: false for a socket the server ended cleanly.
    await expect(closed).resolves.toBe(false);
  });

  it('stop() ends an open SSE stream after the grace period and releases its room', async () => {
    const test = createTestApp({ shutdownGraceMs: 200 });
    const { url } = await test.app.start(0, '127.0.0.1');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { roomEvents(roomId: "7690183442860198697") { id } }' }),
    });
    expect(response.status).toBe(200);
    await until(() => test.fakes.rooms.active().length === 1, 5000, 'the stream to watch its room');

    await test.app.stop();
    await until(() => test.fakes.rooms.active().length === 0, 5000, 'the room to be released');
    await response.body?.cancel().catch(() => undefined);
  });

  it('a stopped app refuses to start again', async () => {
    const { app } = createTestApp();
    await app.start(0, '127.0.0.1');
    await app.stop();
    await expect(app.start(0, '127.0.0.1')).rejects.toThrow(/build a new one/);
  });

  it('refuses a port already taken with an error naming PORT', async () => {
    const first = createTestApp();
    const { url } = await first.app.start(0, '127.0.0.1');
    const second = createTestApp();
    try {
      const port = portOf(url);
      await expect(second.app.start(port, '127.0.0.1')).rejects.toMatchObject({
        code: 'PORT_IN_USE',
        variable: 'PORT',
        message: `127.0.0.1:${port} is already in use by another process: stop that process or set PORT to a free port`,
      });
    } finally {
      await first.app.stop();
    }
  });
});

describe('WebSocket upgrades', () => {
  it('are accepted on /graphql only', async () => {
    const { default: WebSocket } = await import('ws');
    const { app } = createTestApp();
    const { url } = await app.start(0, '127.0.0.1');
    try {
      const outcome = (path: string) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(url.replace(/^http/, 'ws').replace('/graphql', path), 'graphql-transport-ws');
          socket.once('open', () => {
            socket.close();
            resolve('open');
          });
          socket.once('error', () => resolve('refused'));
        });
      expect(await outcome('/graphql')).toBe('open');
      expect(await outcome('/elsewhere')).toBe('refused');
    } finally {
      await app.stop();
    }
  });
});
