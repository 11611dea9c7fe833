// A room's gift ledger starts from what the store already counted, so a combo that spans a
// gateway restart adds only its new sends.
import { describe, expect, it } from 'vitest';
import type { DouyinApi } from '../../src/collectors/douyin-api.ts';
import { RoomSupervisor, type RoomStreamHooks } from '../../src/collectors/supervisor.ts';
import type { GiftEvent, RoomEvent } from '../../src/domain/events.ts';
import type { LiveRoom } from '../../src/domain/model.ts';

const ROOM = '7690183442860198697';

function gift(repeatCount: number, extra: Partial<GiftEvent> = {}): GiftEvent {
  return {
    type: 'GiftEvent',
    id: String(7_700_000_000_000_000_000n + BigInt(repeatCount)),
    roomId: ROOM,
    method: 'WebcastGiftMessage',
    createdAt: Date.now(),
    user: { id: '111' } as GiftEvent['user'],
    cursor: null,
    gift: { id: '463', name: '玫瑰', diamondCount: 1, combo: true, image: null, type: 1 },
    toUser: null,
    groupId: '900',
    repeatCount,
    groupCount: 1,
    repeatEnd: false,
    phase: 'PROGRESS',
    deltaCount: repeatCount,
    totalCount: repeatCount,
    totalDiamonds: repeatCount,
    ...extra,
  };
}

describe('RoomSupervisor with counted gifts', () => {
  it('seeds the ledger before the stream opens', async () => {
    const api = { roomByRoomId: async (id: string) => ({ id, webRid: null, status: 'LIVE' }) as unknown as LiveRoom } as DouyinApi;
    const delivered: RoomEvent[] = [];
    let hooks: RoomStreamHooks | null = null;
    const asked: string[] = [];
    const supervisor = new RoomSupervisor({
      api,
      sink: (_roomId, events) => delivered.push(...events),
      countedGifts: async (roomId) => {
        asked.push(roomId);
        return [gift(1, { phase: 'STARTED' }), gift(4)];
      },
      openStream: (_room, streamHooks) => {
        hooks = streamHooks;
        return { start() {}, stop() {} };
      },
    });
    supervisor.watch(ROOM);
    await new Promise<void>((resolve) => {
      const check = () => (hooks !== null ? resolve() : setImmediate(check));
      check();
    });
    hooks!.onEvents([gift(6)]);
    const gifts = delivered.filter((event): event is GiftEvent => event.type === 'GiftEvent');
    expect(asked).toEqual([ROOM]);
    expect(gifts.map((event) => [event.deltaCount, event.totalCount])).toEqual([[2, 6]]);
    supervisor.stop();
  });
});
