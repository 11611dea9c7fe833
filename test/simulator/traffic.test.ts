// Realistic traffic: rates and batching, the message mix, gift combos, people, and runs that
// a seed makes reproducible down to the bytes on the wire.
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { METHOD_DECODERS } from '../../src/collectors/protocol/methods.ts';
import { MESSAGE_KINDS, manualClock, startSimulator, type Simulator, type TruthRecord } from '../../src/simulator/index.ts';
import { decodePayload } from './helpers/frames.ts';
import { PushTestClient, pushUrlFor } from './helpers/push-client.ts';

const sims: Simulator[] = [];
const START = Date.UTC(2026, 8, 27, 12, 0, 0);

async function simulator(options: Parameters<typeof startSimulator>[0]): Promise<Simulator> {
  const sim = await startSimulator(options);
  sims.push(sim);
  return sim;
}

afterEach(async () => {
  vi.useRealTimers();
  for (const sim of sims.splice(0)) await sim.stop();
});

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe('determinism', () => {
  async function run(seed: string): Promise<{ truth: TruthRecord[]; frames: string[]; room: string }> {
    const clock = manualClock(START);
    const sim = await simulator({ seed, clock, rooms: [{ goods: true }], autoTraffic: false });
    const room = sim.liveRooms()[0]!;
    const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, room.id));
    try {
      for (let i = 0; i < 5; i++) {
        room.emit(40);
        clock.advance(1_000);
      }
      await client.waitForMessages(room.truth().length);
      // Image URLs carry the simulator's (random) port; everything else must match byte for byte.
      const frames = client.frames.map((f) => {
        const { payload, ...frame } = f.decoded!;
        const inflated = Buffer.from(gunzipSync(payload)).toString('latin1').replaceAll(sim.url, 'BASE');
        return JSON.stringify({ ...frame, response: null, messages: null, inflated });
      });
      return { truth: room.truth(), frames, room: room.id };
    } finally {
      client.close();
    }
  }

  it('reproduces rooms, messages and frame contents from the same seed and clock', async () => {
    const [a, b] = [await run('same-seed'), await run('same-seed')];
    expect(a.room).toBe(b.room);
    expect(a.truth).toEqual(b.truth);
    expect(a.frames).toEqual(b.frames);
  });

  it('produces a different run from another seed', async () => {
    const [a, b] = [await run('seed-one'), await run('seed-two')];
    expect(a.room).not.toBe(b.room);
    expect(a.truth.map((r) => r.userId)).not.toEqual(b.truth.map((r) => r.userId));
  });
});

describe('rates and batching', () => {
  it('sends `rate` audience messages per second of ticks, plus viewer counts every few seconds', async () => {
    const clock = manualClock(START);
    const sim = await simulator({ seed: 'rate', clock, rooms: [{ rate: 50 }], autoTraffic: false });
    const records: TruthRecord[] = [];
    for (let second = 0; second < 30; second++) {
      for (let quarter = 0; quarter < 4; quarter++) {
        clock.advance(250);
        records.push(...sim.tick(250));
      }
    }
    const unique = records.filter((r) => !r.duplicate);
    const periodic = unique.filter((r) => ['viewers', 'stats', 'rank'].includes(r.kind));
    expect(unique.length - periodic.length).toBe(1_500);
    const kinds = countBy(periodic, (r) => r.kind);
    expect(kinds.viewers).toBeGreaterThanOrEqual(8);
    expect(kinds.viewers).toBeLessThanOrEqual(15);
    expect(kinds.rank).toBeGreaterThanOrEqual(2);
  });

  it('steps one timer tick with sim.tick() and no argument', async () => {
    const clock = manualClock(START);
    const sim = await simulator({ seed: 'one-tick', clock, rooms: [{ rate: 40 }], autoTraffic: false, tickMs: 500 });
    const audience = sim.tick().filter((r) => !r.duplicate && !['viewers', 'stats', 'rank'].includes(r.kind));
    expect(audience).toHaveLength(20);
  });

  it('batches a busy room into frames of 1 to 20 messages', async () => {
    // One synchronous second of traffic gives the client no chance to ack in between.
    const sim = await simulator({ seed: 'batch', rooms: [{ rate: 2_000, duplicateChatRate: 0 }], autoTraffic: false, ack: { maxUnacked: 0 } });
    const room = sim.liveRooms()[0]!;
    const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, room.id));
    try {
      const records = room.advance(1_000);
      await client.waitForMessages(records.length);
      const sizes = client.msgFrames().map((f) => f.messages.length);
      expect(records.length).toBeGreaterThanOrEqual(2_000);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(20);
      expect(sizes.length).toBeGreaterThanOrEqual(100);
    } finally {
      client.close();
    }
  });

  it('runs traffic on a timer per room when autoTraffic is on', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const sim = await simulator({ seed: 'timer', rooms: [{ rate: 40 }, { rate: 4 }], tickMs: 250 });
    const [busy, quiet] = sim.liveRooms();
    vi.advanceTimersByTime(10_000);
    const audience = (records: TruthRecord[]) => records.filter((r) => !r.duplicate && !['viewers', 'stats', 'rank'].includes(r.kind)).length;
    expect(audience(busy!.truth())).toBe(400);
    expect(audience(quiet!.truth())).toBe(40);
    busy!.end();
    vi.advanceTimersByTime(5_000);
    expect(busy!.truth().at(-1)?.kind).toBe('control');
  });
});

describe('message mix', () => {
  it('is dominated by chat and has every kind but the end-of-live control', async () => {
    const sim = await simulator({ seed: 'mix', rooms: [{ goods: true }], autoTraffic: false });
    const records = sim.liveRooms()[0]!.emit(4_000).filter((r) => !r.duplicate);
    const kinds = countBy(records, (r) => r.kind);
    const sorted = Object.entries(kinds).sort((a, b) => b[1] - a[1]);
    expect(sorted[0]?.[0]).toBe('chat');
    expect(Object.keys(kinds).sort()).toEqual(MESSAGE_KINDS.filter((kind) => kind !== 'control').sort());
  });

  it('sends every method the decoder types, so tests and the dashboard see each typed event', async () => {
    const sim = await simulator({ seed: 'typed-mix', rooms: [{ goods: true }], autoTraffic: false });
    const room = sim.liveRooms()[0]!;
    const sent = new Set(room.emit(20_000).map((r) => r.method));
    // The end-of-live control comes once, at the end.
    sent.add(room.end()!.method);
    // Douyin sends these two link-mic methods under either name; the simulator uses one of each.
    const aliases = new Set(['WebcastLinkMicArmies', 'WebcastLinkMicMethod']);
    expect([...METHOD_DECODERS.keys()].filter((method) => !aliases.has(method) && !sent.has(method))).toEqual([]);
  });

  it('sends no e-commerce messages in a room without goods', async () => {
    const sim = await simulator({ seed: 'no-goods', rooms: [{ goods: false }], autoTraffic: false });
    const room = sim.liveRooms()[0]!;
    const kinds = new Set(room.emit(2_000).map((r) => r.kind));
    expect([...kinds].filter((k) => ['product', 'shopping', 'purchase'].includes(k))).toEqual([]);
    expect(() => room.emit(1, { kinds: ['shopping'] })).toThrow(/cannot send shopping/);
  });
});

describe('gift combos', () => {
  it('raise repeat_count under one group_id, end with one repeat_end echo, and some never end', async () => {
    const sim = await simulator({ seed: 'combos', rooms: [{}], autoTraffic: false });
    const room = sim.liveRooms()[0]!;
    const gifts = room.emit(3_000, { kinds: ['gift'] }).map((r) => r.gift!);
    const groups = new Map<string, typeof gifts>();
    for (const gift of gifts) groups.set(gift.groupId, [...(groups.get(gift.groupId) ?? []), gift]);
    let ended = 0;
    let neverEnded = 0;
    for (const messages of groups.values()) {
      const first = messages[0]!;
      expect(new Set(messages.map((m) => `${m.userId}/${m.giftId}/${m.groupCount}`)).size).toBe(1);
      for (let i = 1; i < messages.length; i++) {
        const [before, now] = [messages[i - 1]!, messages[i]!];
        if (now.repeatEnd) expect(now.repeatCount).toBe(before.repeatCount);
        else expect(now.repeatCount).toBeGreaterThan(before.repeatCount);
      }
      expect(messages.filter((m) => m.repeatEnd).length).toBeLessThanOrEqual(1);
      if (messages.at(-1)!.repeatEnd) ended += 1;
      else if (!room.model.combos.has(first.groupId)) neverEnded += 1;
    }
    expect(ended).toBeGreaterThan(50);
    expect(neverEnded).toBeGreaterThan(5);
    const rising = [...groups.values()].filter((m) => m.length >= 3);
    expect(rising.length).toBeGreaterThan(20);
  });

  it('sends a non-combo gift once, with repeat_end and its full price', async () => {
    const sim = await simulator({ seed: 'big-gifts', rooms: [{}], autoTraffic: false });
    const gifts = sim.liveRooms()[0]!.emit(3_000, { kinds: ['gift'] }).map((r) => r.gift!);
    const single = gifts.filter((g) => ['跑车', '嘉年华', '热气球', '浪漫花火', '比心兔兔', '私人飞机', '粉丝团灯牌'].includes(g.giftName));
    expect(single.length).toBeGreaterThan(0);
    for (const gift of single) {
      expect(gift).toMatchObject({ repeatCount: 1, repeatEnd: true, diamonds: gift.diamondCount * gift.groupCount });
      expect(gifts.filter((g) => g.groupId === gift.groupId)).toHaveLength(1);
    }
  });
});

describe('people', () => {
  it('look like Douyin users: Chinese nicknames, sec_uids, uids, pay grades', async () => {
    const sim = await simulator({ seed: 'people', rooms: [{}], autoTraffic: false });
    const room = sim.liveRooms()[0]!;
    const client = await PushTestClient.connect(pushUrlFor(sim.pushUrl, room.id));
    try {
      room.emit(300, { kinds: ['chat'] });
      await client.waitForMessages(300);
      const users = client.messages().map((m) => decodePayload(m).user);
      const withChinese = users.filter((u) => /[\u4e00-\u9fff]/.test(u.nickname));
      expect(withChinese.length / users.length).toBeGreaterThan(0.7);
      for (const user of users) {
        expect(user.id).toMatch(/^\d{11,16}$/);
        expect(user.idStr).toBe(user.id);
        expect(user.secUid).toMatch(/^MS4wLjABAAAA[A-Za-z0-9_-]{43,64}$/);
        expect(Number(user.payGrade.level)).toBeGreaterThanOrEqual(1);
        expect(user.avatarThumb.urlList[0]).toMatch(new RegExp(`^${sim.url}/img/`));
      }
      expect(new Set(users.map((u) => u.id)).size).toBeLessThan(users.length);
    } finally {
      client.close();
    }
  });
});
