// The ownership subsystem: room leases in the shared PostgreSQL, when there is one. With the
// embedded store there is one process and nothing to share, so rooms are collected unleased.
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { EventBus } from '../../bus/event-bus.ts';
import type { Config } from '../../config.ts';
import { RoomOwnership } from '../../live/ownership.ts';
import type { EventStore } from '../../store/event-store.ts';
import type { LeaseStore, LiveInstance } from '../../store/lease-store.ts';
import type { Logger } from '../logger.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { Closers } from './closers.ts';

/** Instances were configured so that they would lose or double events: refuse to start. */
export class FleetConfigError extends Error {
  readonly code = 'FLEET_MISCONFIGURED';
}

export function isFleetConfigError(error: unknown): error is FleetConfigError {
  return error instanceof FleetConfigError;
}

export interface OwnershipDeps {
  leases: LeaseStore;
  store: EventStore;
  bus: EventBus;
  logger: Logger;
  metrics: GatewayMetrics;
}

export async function createOwnership(config: Readonly<Config>, deps: OwnershipDeps, closers: Closers): Promise<RoomOwnership | null> {
  if (config.store.databaseUrl === null) return null;
  const { instanceId, leaseTtlMs } = config.fleet;
  const holder = `${instanceId}/${randomUUID().slice(0, 8)}`;
  const busKind = config.bus.redisUrl === null ? 'memory' : 'redis';
  await refuseUnsafeSharing(deps.leases, { holder, instanceId, busKind, ttlMs: leaseTtlMs });
  const { metrics, logger } = deps;
  metrics.instanceInfo.set({ instance_id: instanceId }, 1);
  const ownership = new RoomOwnership({
    leases: deps.leases,
    bus: deps.bus,
    store: deps.store,
    holder,
    instanceId,
    busKind,
    ttlMs: leaseTtlMs,
    observer: {
      acquired: (roomId, epoch) => {
        metrics.leaseAcquisitions.inc();
        logger.info({ roomId, epoch }, 'collecting the room (lease taken)');
      },
      renewed: (count) => metrics.leaseRenewals.inc(count),
      lost: (roomId, reason) => {
        metrics.leaseLosses.inc({ reason });
        logger.warn({ roomId, reason }, 'no longer collecting the room (lease lost)');
      },
      owned: (count) => metrics.roomsOwned.set(count),
      error: (error, doing) => logger.warn({ code: (error as { code?: unknown }).code }, `${doing}: ${error instanceof Error ? error.message : String(error)}`),
    },
  });
  closers.add('room leases', () => ownership.close());
  return ownership;
}

interface Registration {
  holder: string;
  instanceId: string;
  busKind: string;
  ttlMs: number;
}

/**
 * Instances sharing one database must share one Redis: without it each delivers only what it
 * collected itself. An instance that just died may still be registered, so a conflict is
 * believed only once its registration has had a whole TTL to lapse.
 */
async function refuseUnsafeSharing(leases: LeaseStore, me: Registration, wait = sleep): Promise<void> {
  const check = () => leases.heartbeatInstance(me.holder, me.instanceId, me.busKind, me.ttlMs);
  let conflicting = unsafePeers(me.busKind, await check());
  if (conflicting.length === 0) return;
  await wait(me.ttlMs + 500);
  conflicting = unsafePeers(me.busKind, await check());
  if (conflicting.length === 0) return;
  await leases.removeInstance(me.holder).catch(() => undefined);
  const names = conflicting.map((peer) => `${peer.instanceId} (bus: ${peer.bus})`).join(', ');
  throw new FleetConfigError(
    `another gateway instance uses this PostgreSQL database: ${names}. Instances that share DATABASE_URL must all set the same REDIS_URL, ` +
      'or each would deliver only the events it collected itself; set REDIS_URL on every instance, or give each its own DATABASE_URL',
  );
}

function unsafePeers(busKind: string, peers: readonly LiveInstance[]): LiveInstance[] {
  return busKind === 'memory' ? [...peers] : peers.filter((peer) => peer.bus === 'memory');
}
