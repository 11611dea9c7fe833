// issue 13 proof: with HTTPS_PROXY set, both the HTTP calls and the push WebSocket go through
// the proxy — an HTTP CONNECT proxy and a SOCKS5 proxy, each run by the test on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { startConnectProxy, startSocks5Proxy, type TestProxy } from '../support/test-proxies.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const CHATS = `subscription ($roomId: ID!) {
  roomEvents(roomId: $roomId, types: [CHAT]) { id }
}`;

let stack: Stack | null = null;
let proxy: TestProxy | null = null;

afterEach(async () => {
  await stack?.close();
  await proxy?.close();
  stack = null;
  proxy = null;
});

describe.each([
  ['HTTP CONNECT', startConnectProxy],
  ['SOCKS5', startSocks5Proxy],
])('HTTPS_PROXY through a %s proxy', (_name, startProxy) => {
  it('carries the HTTP calls and the push WebSocket, and the room streams through it', async () => {
    proxy = await startProxy();
    stack = await startStack({ env: { HTTPS_PROXY: proxy.url } });
    const room = stack.sim.liveRooms()[0]!;
    const sub = subscribe<{ roomEvents: { id: string } }>(stack.wsClient(), CHATS, { roomId: room.id });
    await until(() => stack!.sim.connections().some((c) => c.roomId === room.id && c.heartbeatsReceived > 0), 'the push connection');
    const sent = room.emit(5, { kinds: ['chat'] }).filter((record) => !record.duplicate);
    await until(() => sub.results.length >= sent.length, 'the chats');
    expect(sub.results.map((r) => r.roomEvents.id)).toEqual(sent.map((record) => record.msgId));

    const simulator = new URL(stack.sim.url).host;
    const lines = proxy.tunnels.filter((t) => t.destination === simulator).flatMap((t) => t.requests);
    expect(lines.some((line) => line.startsWith('GET /webcast/im/push/v2/?'))).toBe(true);
    expect(lines.some((line) => line.startsWith('GET /webcast/im/fetch/'))).toBe(true);
    // Every request the simulator saw came through a tunnel: nothing went direct.
    const handshakes = stack.sim.requests({ kind: 'ws' }).length;
    expect(lines.filter((line) => line.startsWith('GET /webcast/im/push/v2/')).length).toBe(handshakes);
    sub.stop();
  });
});
