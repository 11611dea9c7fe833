import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent, RoomEvent } from '../../src/domain/events.ts';
import type { EventBus } from '../../src/bus/event-bus.ts';
import { MemoryEventBus } from '../../src/bus/memory-bus.ts';
import { RedisEventBus } from '../../src/bus/redis-bus.ts';
import { startCuttableProxy } from '../support/cuttable-proxy.ts';
import { until } from '../support/until.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';

function chat(id: string, roomId = '7690183442860198697'): ChatEvent {
  return {
    type: 'ChatEvent',
    id,
    roomId,
    method: 'WebcastChatMessage',
    createdAt: 1_790_519_971_067,
    user: null,
    cursor: null,
    content: `消息${id}`,
  };
}

function collect(bus: EventBus, roomId: string): RoomEvent[] {
  const seen: RoomEvent[] = [];
  bus.subscribe(roomId, (event) => seen.push(event));
  return seen;
}

describe('MemoryEventBus', () => {
  it('delivers to every subscriber of the room and to no other room', () => {
    const bus = new MemoryEventBus();
    const a = collect(bus, 'room-a');
    const a2 = collect(bus, 'room-a');
    const b = collect(bus, 'room-b');
    bus.publish('room-a', chat('1', 'room-a'));
    expect(a.map((e) => e.id)).toEqual(['1']);
    expect(a2.map((e) => e.id)).toEqual(['1']);
    expect(b).toEqual([]);
  });

  it('isolates a throwing handler and reports it', () => {
    const errors: unknown[] = [];
    const bus = new MemoryEventBus((error) => errors.push(error));
    bus.subscribe('r', () => {
      throw new Error('broken subscriber');
    });
    const healthy = collect(bus, 'r');
    bus.publish('r', chat('1', 'r'));
    expect(healthy).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });

  it('stops delivering after unsubscribe and forgets empty rooms', () => {
    const bus = new MemoryEventBus();
    const seen: RoomEvent[] = [];
    const unsubscribe = bus.subscribe('r', (event) => seen.push(event));
    unsubscribe();
    bus.publish('r', chat('1', 'r'));
    expect(seen).toEqual([]);
    expect(bus.subscriberCount('r')).toBe(0);
  });
});

describe('RedisEventBus (real Redis on 127.0.0.1:6379)', () => {
  const buses: RedisEventBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  it('carries events between two gateway instances, in order, ids intact', async () => {
    const prefix = `test:${process.pid}:${Date.now()}:`;
    const publisher = new RedisEventBus({ url: REDIS_URL, channelPrefix: prefix });
    const receiver = new RedisEventBus({ url: REDIS_URL, channelPrefix: prefix });
    buses.push(publisher, receiver);
    await Promise.all([publisher.ready(), receiver.ready()]);
    const seen = collect(receiver, '7690183442860198697');
    const other = collect(receiver, '7690000000000000001');
    await receiver.subscribed('7690183442860198697');
    const ids = ['18446744073709551615', '7690224691106976802', '42'];
    for (const id of ids) publisher.publish('7690183442860198697', chat(id));
    await until(() => seen.length === ids.length, 'every published event to arrive', 5_000);
    expect(seen.map((e) => e.id)).toEqual(ids);
    expect(seen[0]).toEqual(chat(ids[0]!));
    expect(other).toEqual([]);
  });

  it('says when Redis is unreachable and when it is back, and is subscribed again after it', async () => {
    const proxy = await startCuttableProxy({ host: '127.0.0.1', port: 6379 });
    try {
      const prefix = `test:${process.pid}:${Date.now()}:blink:`;
      const publisher = new RedisEventBus({ url: REDIS_URL, channelPrefix: prefix });
      const receiver = new RedisEventBus({ url: `redis://127.0.0.1:${proxy.port}`, channelPrefix: prefix });
      buses.push(publisher, receiver);
      await Promise.all([publisher.ready(), receiver.ready()]);
      const changes: boolean[] = [];
      receiver.onAvailability((up) => changes.push(up));
      const seen = collect(receiver, 'blink');
      await receiver.subscribed('blink');
      expect(receiver.isUp()).toBe(true);

      proxy.cut();
      await until(() => !receiver.isUp(), 'the bus to say it is down', 5_000);
      proxy.restore();
      await until(() => receiver.isUp(), 'the bus to say it is back', 10_000);
      expect(changes).toEqual([false, true]);
      // Resubscribed by itself: a publication after the blink arrives without a new subscribe().
      await until(async () => {
        publisher.publish('blink', chat('after-blink'));
        return seen.some((event) => event.id === 'after-blink');
      }, 'a publication after the blink', 10_000);
    } finally {
      await proxy.close();
    }
  });
});
