// The bus subsystem: in-process, or Redis when REDIS_URL is set.
import type { EventBus } from '../../bus/event-bus.ts';
import { MemoryEventBus } from '../../bus/memory-bus.ts';
import { RedisEventBus } from '../../bus/redis-bus.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../logger.ts';
import type { Closers } from './closers.ts';

export async function createBus(config: Readonly<Config>, logger: Logger, closers: Closers): Promise<EventBus> {
  const onError = (error: unknown) => logger.error({ err: error }, 'bus error');
  if (config.bus.redisUrl === null) {
    const bus = new MemoryEventBus(onError);
    closers.add(() => bus.close());
    return bus;
  }
  const bus = new RedisEventBus({ url: config.bus.redisUrl, onError });
  closers.add(() => bus.close());
  await bus.ready();
  return bus;
}
