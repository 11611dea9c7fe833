// issue 13, proxies in a pool (DOUYIN_PROXIES): two proxies the test runs, an HTTP CONNECT one
// and a SOCKS5 one. Rooms spread one per pair and each room's push WebSocket goes through its
// own pair's proxy; when one proxy dies, its pair is quarantined (no answer through it) and its
// room moves to the other proxy without losing a chat; a line added to the file is a new pair
// without a restart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectProxy, startSocks5Proxy, type TestProxy } from '../support/test-proxies.ts';
import { postGraphQL } from './fixtures/graphql-http.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

const CHATS = `subscription ($roomId: ID!) { roomEvents(roomId: $roomId, types: [CHAT]) { id } }`;
const POOL = `{ upstreamPool { degraded pairs { id proxy proxyId state lastFailure rooms } } }`;

interface Pair {
  id: string;
  proxy: string;
  proxyId: string;
  state: string;
  lastFailure: string | null;
  rooms: string[];
}

let stack: Stack;
let dir: string;
let proxiesFile: string;
const proxies: TestProxy[] = [];

beforeAll(async () => {
  proxies.push(await startConnectProxy(), await startSocks5Proxy());
  dir = mkdtempSync(join(tmpdir(), 'proxy-pool-e2e-'));
  proxiesFile = join(dir, 'proxies.txt');
  writeFileSync(proxiesFile, `${proxies.map((proxy) => proxy.url).join('\n')}\n`);
  stack = await startStack({ env: { DOUYIN_PROXIES: proxiesFile, DOUYIN_POOL_QUARANTINE_MS: '600000' } });
});

afterAll(async () => {
  await stack?.close();
  for (const proxy of proxies) await proxy.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pairs(): Promise<Pair[]> {
  const answer = await postGraphQL<{ upstreamPool: { pairs: Pair[] } }>(stack.url, POOL);
  expect(answer.errors).toEqual([]);
  return answer.data!.upstreamPool.pairs;
}

/** The push handshakes for a room that went through a proxy. */
function handshakesThrough(proxy: TestProxy, roomId: string): string[] {
  return proxy.tunnels.flatMap((tunnel) => tunnel.requests).filter((line) => line.startsWith('GET /webcast/im/push/v2/?') && line.includes(`room_id=${roomId}`));
}

describe('a pool of proxies', () => {
  it('gives each room one proxy, and moves a room whose proxy died to the other one', async () => {
    const rooms = stack.sim.liveRooms().slice(0, 2);
    const subs = rooms.map((room) => subscribe<{ roomEvents: { id: string } }>(stack.wsClient(), CHATS, { roomId: room.id }));
    for (const room of rooms) {
      await until(() => stack.sim.connections().some((c) => c.roomId === room.id && !c.closed && c.heartbeatsReceived > 0), `the push connection of ${room.id}`);
    }
    const before = await pairs();
    expect(before.map((pair) => pair.rooms.length)).toEqual([1, 1]);
    // Each room's push WebSocket went through its own pair's proxy, and only through it.
    const proxyOf = (roomId: string) => before.findIndex((pair) => pair.rooms.includes(roomId));
    for (const room of rooms) {
      const own = proxyOf(room.id);
      expect(handshakesThrough(proxies[own]!, room.id), room.id).toHaveLength(1);
      expect(handshakesThrough(proxies[1 - own]!, room.id), room.id).toEqual([]);
    }

    const early = rooms.map((room) => room.emit(3, { kinds: ['chat'] }).filter((r) => !r.duplicate).map((r) => r.msgId));
    for (const [i, sub] of subs.entries()) await until(() => sub.results.length >= early[i]!.length, 'the first chats');

    // The first proxy dies: its room's socket drops and nothing answers through it any more.
    const deadIndex = 0;
    const victim = rooms[before[deadIndex]!.rooms[0] === rooms[0]!.id ? 0 : 1]!;
    const victimSub = subs[rooms.indexOf(victim)]!;
    await proxies[deadIndex]!.close();
    await until(async () => (await pairs())[deadIndex]!.state === 'QUARANTINED', 'the dead proxy quarantined', 30_000);
    await until(async () => (await pairs())[1 - deadIndex]!.rooms.includes(victim.id), 'the room on the other proxy', 30_000);
    await until(() => stack.sim.connections().some((c) => c.roomId === victim.id && !c.closed && c.heartbeatsReceived > 0), 'the new push connection');
    expect(handshakesThrough(proxies[1 - deadIndex]!, victim.id).length).toBeGreaterThanOrEqual(1);
    // The push attempts that found nothing through the dead proxy count against its pair, as
    // failed HTTP calls do: three at most before it is quarantined, not one every backoff for as
    // long as the HTTP calls happen to succeed elsewhere.
    const deadHost = new URL(proxies[deadIndex]!.url).host;
    const failedAttempts = stack.logs.lines.filter((line) => line.msg === 'push reconnect' && line.roomId === victim.id && String(line.reason).includes(deadHost));
    expect(failedAttempts.length).toBeGreaterThanOrEqual(1);
    expect(failedAttempts.length).toBeLessThanOrEqual(3);

    const late = victim.emit(4, { kinds: ['chat'] }).filter((r) => !r.duplicate).map((r) => r.msgId);
    const expected = [...early[rooms.indexOf(victim)]!, ...late];
    await until(() => victimSub.results.length >= expected.length, () => `every chat (${victimSub.results.length}/${expected.length})`, 15_000);
    expect(victimSub.results.map((r) => r.roomEvents.id)).toEqual(expected);
    const dead = (await pairs())[deadIndex]!;
    expect(dead.lastFailure).not.toBeNull();
    expect(dead.rooms).toEqual([]);
    for (const sub of subs) sub.stop();
  });

  it('takes a proxy added to the file as a new pair, and moves a room off one taken out, without a restart', async () => {
    const third = await startConnectProxy();
    proxies.push(third);
    writeFileSync(proxiesFile, `${proxies.map((proxy) => proxy.url).join('\n')}\n`);
    await until(async () => (await pairs()).length === 3, 'the third pair', 10_000);
    const added = (await pairs())[2]!;
    expect(added).toMatchObject({ state: 'HEALTHY', proxy: third.url });

    // The room goes to the only healthy pair with no room: the new one. Then its line is removed.
    const room = stack.sim.liveRooms()[2]!;
    const sub = subscribe<{ roomEvents: { id: string } }>(stack.wsClient(), CHATS, { roomId: room.id });
    await until(async () => (await pairs()).some((pair) => pair.rooms.includes(room.id)), 'the room on a pair');
    const holder = (await pairs()).find((pair) => pair.rooms.includes(room.id))!;
    const holderProxy = proxies.find((proxy) => proxy.url === holder.proxy)!;
    await until(() => handshakesThrough(holderProxy, room.id).length === 1, 'the push handshake through its proxy');
    const rest = proxies.filter((proxy) => proxy !== holderProxy && proxy !== proxies[0]);
    writeFileSync(proxiesFile, `${[proxies[0]!, ...rest].map((proxy) => proxy.url).join('\n')}\n`);
    await until(async () => (await pairs()).some((pair) => pair.id !== holder.id && pair.rooms.includes(room.id)), 'the room moved off the removed proxy', 10_000);
    const now = (await pairs()).find((pair) => pair.rooms.includes(room.id))!;
    await until(() => handshakesThrough(proxies.find((proxy) => proxy.url === now.proxy)!, room.id).length >= 1, 'the push handshake through the new proxy');
    expect((await pairs()).map((pair) => pair.id)).not.toContain(holder.id);
    sub.stop();
  });
});
