// Builds the services the server runs on from the configuration: collectors, store, bus,
// simulator. This is a stub the lead's wiring replaces: every upstream call fails with
// UPSTREAM_UNAVAILABLE and no room produces events, but the server starts and says so.
import { unavailable } from '../collectors/errors.ts';
import type { DouyinApi } from '../collectors/douyin-api.ts';
import type { Config } from '../config.ts';
import type { RoomEvent } from '../domain/events.ts';
import type { RoomStatusChange } from '../schema/context.ts';
import type { Logger } from './logger.ts';
import type { GatewayServices } from './services.ts';

export interface Gateway {
  services: GatewayServices;
  /** The room GraphiQL's starter tabs open on (the simulator's first room). */
  graphiqlRoomId: string | null;
  close(): Promise<void>;
}

/** An iterable that yields nothing and ends when the signal aborts. */
async function* silentUntil<T>(signal: AbortSignal): AsyncGenerator<T> {
  if (signal.aborted) return;
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function notWired(): never {
  throw unavailable('the gateway wiring is not built yet');
}

const stubDouyin: DouyinApi = {
  roomByWebRid: async () => notWired(),
  roomByRoomId: async () => notWired(),
  liveStatus: async () => notWired(),
  rankList: async () => notWired(),
  promotions: async () => notWired(),
  feed: async () => notWired(),
  giftCatalog: async () => notWired(),
};

export async function createGateway(_config: Readonly<Config>, _logger?: Logger): Promise<Gateway> {
  return {
    services: {
      douyin: stubDouyin,
      rooms: { watch: () => () => undefined, connectionState: () => null },
      events: { subscribe: (_roomId, { signal }) => silentUntil<RoomEvent>(signal) },
      history: null,
      statusChanges: { subscribe: (_roomIds, signal) => silentUntil<RoomStatusChange>(signal) },
      readiness: async () => [{ name: 'upstream', ok: false, detail: 'gateway wiring not built yet' }],
    },
    graphiqlRoomId: null,
    close: async () => undefined,
  };
}
