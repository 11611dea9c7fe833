// issue 11 proof, drain: `npm start`'s entry point as a real process with a graphql-ws and an SSE
// subscriber. On SIGTERM /ready answers 503 at once while the instance still serves; after
// DRAIN_MS the socket is closed with 1012 (reconnect and resume with your cursor), the SSE stream
// gets SERVER_DRAINING and `complete`, and the process exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { until } from '../support/until.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const NOT_INHERITED = /^(HOST|PORT|API_TOKENS_FILE|CORS_ORIGINS|DATA_DIR|DATABASE_URL|REDIS_URL|WATCH_ROOMS|DOUYIN_.*|SIMULATOR_.*|RECORD_DIR|PERSISTED_OPERATIONS|DRAIN_MS)$/;
// Long enough for the checks made during the drain on a busy machine; the test waits it out once.
const DRAIN_MS = 4000;

describe('drain on SIGTERM', { timeout: 180_000 }, () => {
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child !== null && child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers /ready 503 at once, keeps serving, then closes graphql-ws with 1012 and completes SSE, and exits 0', async () => {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !NOT_INHERITED.test(key)));
    const gateway = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...inherited, PORT: '0', SIMULATOR_PORT: '0', DATA_DIR: 'memory://', LOG_LEVEL: 'warn', DRAIN_MS: String(DRAIN_MS) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = gateway;
    let stderr = '';
    gateway.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => gateway.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: gateway.stdout! }).on('line', (line) => {
        const match = /^GraphiQL: (\S+)$/.exec(line);
        if (match !== null) resolve(match[1] as string);
      });
      void exited.then((code) => reject(new Error(`the gateway exited (${code}) before serving: ${stderr}`)));
    });
    const ready = async () => {
      const response = await fetch(url.replace(/\/graphql$/, '/ready'));
      return { status: response.status, body: (await response.json()) as { checks: { name: string; state?: string }[] } };
    };
    const query = async () => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ liveFeed(first: 1) { id } }' }) });
      return { status: response.status, body: (await response.json()) as { data?: { liveFeed: { id: string }[] } } };
    };
    const roomId = (await query()).body.data?.liveFeed[0]?.id as string;
    expect(roomId).toMatch(/^\d+$/);
    const subscription = `subscription { roomEvents(roomId: "${roomId}") { __typename id cursor } }`;

    // graphql-ws, raw, to see the exact close code.
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const frames: { type: string }[] = [];
    const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
    );
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as { type: string }));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await until(() => frames.some((frame) => frame.type === 'connection_ack'), 'connection_ack');
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: subscription } }));
    await until(() => frames.some((frame) => frame.type === 'next'), 'a first graphql-ws event');

    // SSE.
    const sse = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: subscription }),
    });
    expect(sse.status).toBe(200);
    let sseText = '';
    const sseEnded = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of sse.body as unknown as AsyncIterable<Uint8Array>) sseText += decoder.decode(chunk, { stream: true });
      return Date.now();
    })();
    await until(() => sseText.includes('event: next'), 'a first SSE event');

    gateway.kill('SIGTERM');
    let draining = await ready();
    await until(async () => (draining = await ready()).status === 503, '/ready to answer 503');
    const notReadyAt = Date.now();
    expect(draining.body.checks).toEqual([expect.objectContaining({ name: 'drain', state: 'DRAINING' })]);
    // Still serving during the drain, and the clients are still connected.
    expect((await query()).status).toBe(200);
    expect(socket.readyState).toBe(WebSocket.OPEN);

    const close = await closed;
    expect(close.code).toBe(1012);
    expect(close.reason).toContain('your last cursor');
    expect(close.at).toBeGreaterThanOrEqual(notReadyAt);
    await sseEnded;
    expect(sseText).toContain('SERVER_DRAINING');
    expect(sseText).toMatch(/event: complete/);
    expect(await exited).toBe(0);
  });
});
