// The bus subsystem: in-process, or Redis when REDIS_URL is set.
import type { EventBus } from '../../bus/event-bus.ts';
import { MemoryEventBus } from '../../bus/memory-bus.ts';
import { RedisEventBus } from '../../bus/redis-bus.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../logger.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { Closers } from './closers.ts';

export async function createBus(config: Readonly<Config>, logger: Logger, closers: Closers, metrics: GatewayMetrics): Promise<EventBus> {
  const onError = (error: unknown) => logger.error({ err: error }, 'bus error');
  if (config.bus.redisUrl === null) {
    const bus = new MemoryEventBus(onError);
    closers.add('the bus', () => bus.close());
    metrics.busUp.set(1);
    return bus;
  }
  const bus = new RedisEventBus({ url: config.bus.redisUrl, channelPrefix: `${config.bus.redisPrefix}room:`, onError });
  closers.add('the bus', () => bus.close());
  bus.onAvailability((up) => {
    metrics.busUp.set(up ? 1 : 0);
    if (up) logger.info('bus: Redis is reachable again; live delivery is back on the bus');
    else logger.error('bus: Redis is unreachable; subscribers are fed from the store until it returns (/ready answers 503)');
  });
  await bus.ready();
  metrics.busUp.set(bus.isUp() ? 1 : 0);
  return bus;
}
