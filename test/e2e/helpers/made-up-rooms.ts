// 500 room ids that Douyin (the simulator) has never heard of, watched through roomStatus until
// the gateway has found each one missing: the load behind the "nothing persists for rooms that
// do not exist" proofs.
import { expect } from 'vitest';
import { subscribe, until, type Stack } from '../stack.ts';

export const STATUS = `subscription ($roomIds: [ID!]!) { roomStatus(roomIds: $roomIds) { roomId connectionState reason } }`;
export type StatusData = { roomStatus: { roomId: string; connectionState: string | null; reason: string | null } };

/** Watches 500 made-up ids from `base` (100 per subscription, the field's limit) until each is ENDED as missing. */
export async function watchMadeUpRooms(stack: Stack, base: bigint): Promise<{ ids: string[]; stop(): void }> {
  const ids = Array.from({ length: 500 }, (_, i) => String(base + BigInt(i) * 7919n));
  const client = stack.wsClient();
  const subs = Array.from({ length: 5 }, (_, i) => subscribe<StatusData>(client, STATUS, { roomIds: ids.slice(i * 100, i * 100 + 100) }));
  const results = () => subs.flatMap((sub) => sub.results);
  const ended = () => new Set(results().filter((r) => r.roomStatus.connectionState === 'ENDED').map((r) => r.roomStatus.roomId));
  await until(() => ended().size === ids.length, () => `every room found missing (${ended().size} of 500): ${JSON.stringify(subs.flatMap((sub) => sub.errors))}`, 30_000);
  // Live subscribers are told why.
  expect(results().find((r) => r.roomStatus.connectionState === 'ENDED')!.roomStatus.reason).toMatch(/does not exist/);
  return { ids, stop: () => subs.forEach((sub) => sub.stop()) };
}
