// The ground truth matches what a client actually received, and gift totals computed from the
// wire alone (one count per combo) equal the simulator's own totals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { decodePayload } from './helpers/frames.ts';
import { PushTestClient, pushUrlFor } from './helpers/push-client.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'truth', rooms: [{ goods: true, duplicateChatRate: 0.2 }], autoTraffic: false });
});

afterAll(async () => {
  await sim.stop();
});

describe('ground truth', () => {
  it('lists every message a client received, in order, duplicates included', async () => {
    const room = sim.liveRooms()[0]!;
    const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, room.id));
    try {
      const fromSeq = room.lastSeq;
      room.emit(600);
      room.emit(0);
      const truth = room.truth().filter((r) => r.seq > fromSeq);
      await client.waitForMessages(truth.length);
      await client.roundTrip();
      const received = client.messages();
      expect(received.map((m) => [m.msgId, m.method])).toEqual(truth.map((r) => [r.msgId, r.method]));
      expect(truth.some((r) => r.duplicate)).toBe(true);
      const duplicateIds = truth.filter((r) => r.duplicate).map((r) => r.msgId);
      for (const id of duplicateIds) expect(received.filter((m) => m.msgId === id)).toHaveLength(2);
    } finally {
      client.close();
    }
  });

  it('gift totals from the decoded wire (highest repeat_count per group) equal the simulator’s', async () => {
    const room = sim.createRoom({ duplicateChatRate: 0 });
    const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, room.id));
    try {
      const records = room.emit(800, { kinds: ['gift', 'chat'] });
      await client.waitForMessages(records.length);
      const groups = new Map<string, { user: string; repeat: number; groupCount: number; price: number }>();
      const seen = new Set<string>();
      for (const message of client.messages()) {
        if (message.method !== 'WebcastGiftMessage' || seen.has(message.msgId)) continue;
        seen.add(message.msgId);
        const gift = decodePayload(message);
        const group = groups.get(gift.groupId) ?? { user: gift.user.id, repeat: 0, groupCount: Number(gift.groupCount), price: gift.gift.diamondCount };
        group.repeat = Math.max(group.repeat, Number(gift.repeatCount));
        groups.set(gift.groupId, group);
      }
      const byUser = new Map<string, number>();
      let diamonds = 0;
      for (const group of groups.values()) {
        const value = group.repeat * group.groupCount * group.price;
        diamonds += value;
        byUser.set(group.user, (byUser.get(group.user) ?? 0) + value);
      }
      const totals = room.giftTotals();
      expect(diamonds).toBe(totals.diamonds);
      expect(byUser).toEqual(totals.byUser);
      expect(totals.diamonds).toBeGreaterThan(0);
    } finally {
      client.close();
    }
  });

  it('keeps at most truthCapacity records per room, the newest ones', async () => {
    const small = await startSimulator({ seed: 'truth-cap', rooms: [{ duplicateChatRate: 0 }], autoTraffic: false, truthCapacity: 50 });
    try {
      const room = small.liveRooms()[0]!;
      const records = room.emit(120, { kinds: ['chat'] });
      expect(room.truth().map((r) => r.seq)).toEqual(records.slice(-50).map((r) => r.seq));
      expect(room.truthLog.evicted).toBe(70);
    } finally {
      await small.stop();
    }
  });
});
