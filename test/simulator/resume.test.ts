// A client that reconnects with its last cursor gets what it missed from the room's bounded
// backlog; a cursor older than the backlog gets only what is left, which is how a collector
// learns it has a gap.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type SimRoom, type Simulator } from '../../src/simulator/index.ts';
import { PushTestClient, pushUrlFor } from './helpers/push-client.ts';

const sims: Simulator[] = [];
const clients: PushTestClient[] = [];

async function simulator(backlogSize = 5_000): Promise<Simulator> {
  const sim = await startSimulator({ seed: 'resume', rooms: [{ duplicateChatRate: 0 }, { duplicateChatRate: 0 }], autoTraffic: false, backlogSize });
  sims.push(sim);
  return sim;
}

async function connect(sim: Simulator, roomId: string, cursor?: string): Promise<PushTestClient> {
  const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, roomId, cursor ? { cursor } : {}));
  clients.push(client);
  return client;
}

function lastCursor(client: PushTestClient): string {
  const cursor = client.msgFrames().at(-1)?.response?.cursor as string | undefined;
  if (!cursor) throw new Error('no frame received yet');
  return cursor;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const sim of sims.splice(0)) await sim.stop();
});

describe('resume by cursor', () => {
  it('re-sends exactly the messages sent while the client was away, then continues live', async () => {
    const sim = await simulator();
    const room = sim.liveRooms()[0]!;
    const first = await connect(sim, room.id);
    const before = room.emit(10, { kinds: ['chat', 'member', 'like'] });
    await first.waitForMessages(10);
    const cursor = lastCursor(first);
    first.close();
    await first.waitForClose();
    const missed = room.emit(45, { kinds: ['chat', 'gift'] });
    const second = await connect(sim, room.id, cursor);
    await second.waitForMessages(45);
    const live = room.emit(3, { kinds: ['chat'] });
    await second.waitForMessages(48);
    expect(second.messages().map((m) => m.msgId)).toEqual([...missed, ...live].map((r) => r.msgId));
    expect(second.messages().map((m) => m.msgId)).not.toContain(before[0]!.msgId);
    expect(sim.connections().find((c) => !c.closed)?.resume).toBe('full');
  });

  it('with a cursor older than the backlog, re-sends only what the backlog still holds', async () => {
    const sim = await simulator(10);
    const room = sim.liveRooms()[0]!;
    const first = await connect(sim, room.id);
    room.emit(3, { kinds: ['chat'] });
    await first.waitForMessages(3);
    const cursor = lastCursor(first);
    first.close();
    await first.waitForClose();
    const missed = room.emit(25, { kinds: ['chat'] });
    const second = await connect(sim, room.id, cursor);
    await second.waitForMessages(10);
    await second.roundTrip();
    expect(second.messages().map((m) => m.msgId)).toEqual(missed.slice(-10).map((r) => r.msgId));
    expect(sim.connections().find((c) => !c.closed)?.resume).toBe('partial');
  });

  it('re-sends nothing for an up-to-date cursor, a synthetic first cursor or another room’s cursor', async () => {
    const sim = await simulator();
    const [room, other] = sim.liveRooms() as [SimRoom, SimRoom];
    const first = await connect(sim, room.id);
    room.emit(5, { kinds: ['chat'] });
    await first.waitForMessages(5);
    const upToDate = lastCursor(first);
    const otherClient = await connect(sim, other.id);
    other.emit(2, { kinds: ['chat'] });
    await otherClient.waitForMessages(2);
    const cursors = [upToDate, `h-1_t-${Date.now()}_r-1_d-1_u-1`, lastCursor(otherClient), 'garbage'];
    for (const cursor of cursors) {
      const client = await connect(sim, room.id, cursor);
      await client.roundTrip();
      expect(client.messages(), cursor).toHaveLength(0);
    }
    const outcomes = sim.connections().slice(-cursors.length).map((c) => c.resume);
    expect(outcomes).toEqual(['full', 'none', 'none', 'none']);
  });
});
