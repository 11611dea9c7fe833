// Several gateway instances share rooms through Redis pub/sub: one channel per room, one
// Redis subscription per room per instance however many local subscribers it has. Pub/sub keeps
// nothing for a disconnected subscriber, so the bus says when it is down (either connection not
// ready) and the live layer reads the store meanwhile.
import { Redis } from 'ioredis';
import type { RoomEvent } from '../domain/events.ts';
import type { EventBus, Unsubscribe } from './event-bus.ts';
import { MemoryEventBus } from './memory-bus.ts';

export interface RedisBusOptions {
  url: string;
  /** Prefix of the channel names, so several deployments can share one Redis. */
  channelPrefix?: string;
  onError?: (error: unknown) => void;
}

export class RedisEventBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly local: MemoryEventBus;
  private readonly prefix: string;
  private readonly onError: (error: unknown) => void;
  private up = false;
  private readonly availability = new Set<(up: boolean) => void>();

  constructor(options: RedisBusOptions) {
    this.prefix = options.channelPrefix ?? 'douyin-live:room:';
    this.onError = options.onError ?? (() => {});
    this.local = new MemoryEventBus(this.onError);
    this.publisher = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.subscriber = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.publisher.on('error', this.onError);
    this.subscriber.on('error', this.onError);
    for (const connection of [this.publisher, this.subscriber]) {
      for (const change of ['ready', 'close', 'end', 'reconnecting']) connection.on(change, () => this.checkAvailability());
    }
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
  }

  /** Resolves once both connections are ready (useful before the first publish in tests). */
  async ready(): Promise<void> {
    await Promise.all([this.publisher.ping(), this.subscriber.ping()]);
  }

  isUp(): boolean {
    return this.up;
  }

  onAvailability(listener: (up: boolean) => void): Unsubscribe {
    this.availability.add(listener);
    return () => this.availability.delete(listener);
  }

  publish(roomId: string, event: RoomEvent): void {
    // Unreachable: queueing would grow memory and fail each publication with a log line; every
    // subscriber, here and on other instances, gets the event from the store instead.
    if (this.publisher.status !== 'ready') return;
    this.publisher.publish(this.channel(roomId), JSON.stringify(event)).catch(this.onError);
  }

  subscribe(roomId: string, handler: (event: RoomEvent) => void): Unsubscribe {
    const first = this.local.subscriberCount(roomId) === 0;
    const unsubscribe = this.local.subscribe(roomId, handler);
    if (first) this.subscriber.subscribe(this.channel(roomId)).catch(this.onError);
    return () => {
      unsubscribe();
      if (this.local.subscriberCount(roomId) === 0) this.subscriber.unsubscribe(this.channel(roomId)).catch(this.onError);
    };
  }

  /** Resolves when Redis has confirmed the subscription of a room's channel. */
  async subscribed(roomId: string): Promise<void> {
    await this.subscriber.subscribe(this.channel(roomId));
  }

  async close(): Promise<void> {
    this.availability.clear();
    await this.local.close();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }

  private checkAvailability(): void {
    const up = this.publisher.status === 'ready' && this.subscriber.status === 'ready';
    if (up === this.up) return;
    this.up = up;
    for (const listener of this.availability) {
      try {
        listener(up);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private receive(channel: string, message: Buffer): void {
    if (!channel.startsWith(this.prefix)) return;
    let event: RoomEvent;
    try {
      event = JSON.parse(message.toString('utf8')) as RoomEvent;
    } catch (error) {
      this.onError(error);
      return;
    }
    this.local.publish(channel.slice(this.prefix.length), event);
  }

  private channel(roomId: string): string {
    return `${this.prefix}${roomId}`;
  }
}
