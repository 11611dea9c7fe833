// One behavioural suite for every EventStore engine: PGlite and PostgreSQL must agree on all of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/domain/events.ts';
import { decodeCursor, encodeCursor } from '../../src/store/cursor.ts';
import type { EventStore } from '../../src/store/event-store.ts';
import { MIGRATIONS, runMigrations } from '../../src/store/migrations.ts';
import type { SqlEngine } from '../../src/store/sql.ts';
import { PGLITE_TIMEOUT_MS, ROCKET, ROSE, T0, chat, follow, gap, gift, like, newRoomId, status, user, viewers } from './fixtures.ts';

export interface StoreUnderTest {
  engine: SqlEngine;
  /** Built on `engine`, already migrated. */
  store: EventStore;
  dispose(): Promise<void>;
}

const DAY = 86_400_000;
const seqOf = (cursor: string | null) => decodeCursor(cursor ?? '').seq;

function chats(roomId: string, count: number, start = T0, prefix = 'm'): RoomEvent[] {
  return Array.from({ length: count }, (_, i) => chat(roomId, `${prefix}${i}`, start + i * 1000, `message ${i}`));
}

async function listAll(store: EventStore, roomId: string): Promise<RoomEvent[]> {
  const page = await store.listEvents(roomId, { first: 1000 });
  return page.events;
}

export function describeEventStore(name: string, factory: () => Promise<StoreUnderTest>, skipReason: string | null = null): void {
  describe.skipIf(skipReason !== null)(`EventStore on ${name}${skipReason === null ? '' : ` (skipped: ${skipReason})`}`, () => {
    let harness: StoreUnderTest;
    let store: EventStore;

    beforeAll(async () => {
      harness = await factory();
      store = harness.store;
    }, PGLITE_TIMEOUT_MS);
    afterAll(async () => {
      await harness?.dispose();
    });

    describe('migrations', () => {
      it('records every version once and applies nothing on a second run', async () => {
        expect(await runMigrations(harness.engine)).toEqual([]);
        await store.migrate();
        const rows = await harness.engine.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((row) => Number(row.version))).toEqual(MIGRATIONS.map((m) => m.version));
      });

      it('keeps stored history across a repeated migrate()', async () => {
        const roomId = newRoomId();
        const [ref] = await store.appendEvents([chat(roomId, 'kept', T0)]);
        await store.migrate();
        expect(await store.latestCursor(roomId)).toBe(ref?.cursor);
      });

      it('rolls back a failing migration with MIGRATION_FAILED and records nothing of it', async () => {
        const broken = { version: 9001, name: 'broken on purpose', sql: 'CREATE TABLE half_done (x int); SELECT no_such_column FROM half_done;' };
        await expect(runMigrations(harness.engine, [...MIGRATIONS, broken])).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
        const versions = await harness.engine.query<{ version: number }>('SELECT version FROM schema_migrations');
        expect(versions.map((row) => Number(row.version))).not.toContain(9001);
        const tables = await harness.engine.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
        expect(tables).toHaveLength(0);
      });
    });

    describe('appendEvents', () => {
      it('stores a redelivered message once and hands back the first cursor', async () => {
        const roomId = newRoomId();
        const first = await store.appendEvents(chats(roomId, 3));
        expect(first.map((ref) => ref.isNew)).toEqual([true, true, true]);

        const again = await store.appendEvents([...chats(roomId, 3), chat(roomId, 'late', T0 + 9000)]);
        expect(again.map((ref) => ref.isNew)).toEqual([false, false, false, true]);
        expect(again.slice(0, 3).map((ref) => ref.cursor)).toEqual(first.map((ref) => ref.cursor));
        expect(await store.countEvents(roomId)).toBe(4);
      });

      it('stores a message repeated inside one batch once', async () => {
        const roomId = newRoomId();
        const refs = await store.appendEvents([chat(roomId, 'dup', T0), chat(roomId, 'other', T0 + 1), chat(roomId, 'dup', T0 + 2, 'copy')]);
        expect(refs.map((ref) => ref.isNew)).toEqual([true, true, false]);
        expect(refs[2]?.cursor).toBe(refs[0]?.cursor);
        const stored = await listAll(store, roomId);
        expect(stored.map((event) => event.id)).toEqual(['dup', 'other']);
        expect((stored[0] as { content: string }).content).toBe('hello');
      });

      it('numbers each room on its own, in input order, without gaps', async () => {
        const roomA = newRoomId();
        const roomB = newRoomId();
        const batch = [chat(roomA, 'a1', T0), chat(roomB, 'b1', T0), chat(roomA, 'a2', T0), chat(roomB, 'b2', T0), chat(roomA, 'a3', T0)];
        const refs = await store.appendEvents(batch);
        expect(refs.map((ref) => `${ref.roomId === roomA ? 'A' : 'B'}${seqOf(ref.cursor)}`)).toEqual(['A1', 'B1', 'A2', 'B2', 'A3']);
        const more = await store.appendEvents([chat(roomA, 'a4', T0)]);
        expect(seqOf(more[0]?.cursor ?? null)).toBe(4);
      });

      it('gives concurrent batches of one room distinct, contiguous sequence numbers', async () => {
        const roomId = newRoomId();
        const batches = Array.from({ length: 6 }, (_, b) => chats(roomId, 20, T0, `c${b}-`));
        const refs = (await Promise.all(batches.map((batch) => store.appendEvents(batch)))).flat();
        const seqs = refs.map((ref) => seqOf(ref.cursor)).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      });

      it('returns each event as it went in, with its cursor set, including odd text', async () => {
        const roomId = newRoomId();
        const events: RoomEvent[] = [
          chat(roomId, 'emoji', T0, '主播好 👋🏻 [捂脸] "quoted", \\ back\nline'),
          gift(roomId, 'gift', T0 + 1, { gift: ROCKET, deltaCount: 1, totalCount: 1 }),
          viewers(roomId, 'seq', T0 + 2, 30_600, 1_200_000),
          gap(roomId, 'gap-1', T0 + 3),
        ];
        const refs = await store.appendEvents(events);
        const stored = await listAll(store, roomId);
        expect(stored).toEqual(events.map((event, i) => ({ ...event, cursor: refs[i]?.cursor })));
      });

      it('stores text jsonb cannot hold (NUL, a lone surrogate) with U+FFFD instead of failing', async () => {
        const roomId = newRoomId();
        await store.appendEvents([chat(roomId, 'nul', T0, 'a\u0000b\uD800c')]);
        const [event] = await listAll(store, roomId);
        expect((event as { content: string }).content).toBe('a\uFFFDb\uFFFDc');
      });

      it('rejects a batch with a malformed event as BAD_EVENT and stores none of it', async () => {
        const roomId = newRoomId();
        const bad = [chat(roomId, 'fine', T0), { ...chat(roomId, '', T0) }];
        await expect(store.appendEvents(bad)).rejects.toMatchObject({ code: 'BAD_EVENT' });
        await expect(store.appendEvents([{ ...chat(roomId, 'x', T0), roomId: 'room with spaces' }])).rejects.toMatchObject({ code: 'BAD_EVENT' });
        await expect(store.appendEvents([{ ...chat(roomId, 'y', T0), createdAt: Number.NaN }])).rejects.toMatchObject({ code: 'BAD_EVENT' });
        await expect(store.appendEvents([{ ...chat(roomId, 'z', T0), type: 'NoSuchEvent' } as unknown as RoomEvent])).rejects.toMatchObject({
          code: 'BAD_EVENT',
        });
        expect(await store.countEvents(roomId)).toBe(0);
      });
    });

    describe('listEvents', () => {
      it('pages through a room with first/after, ascending, with hasNextPage and endCursor', async () => {
        const roomId = newRoomId();
        await store.appendEvents(chats(roomId, 25));
        const ids: string[] = [];
        const shapes: [number, boolean][] = [];
        let after: string | null = null;
        for (;;) {
          const page = await store.listEvents(roomId, { first: 10, after });
          ids.push(...page.events.map((event) => event.id));
          shapes.push([page.events.length, page.hasNextPage]);
          expect(page.endCursor).toBe(page.events.at(-1)?.cursor ?? null);
          if (!page.hasNextPage) break;
          after = page.endCursor;
        }
        expect(shapes).toEqual([[10, true], [10, true], [5, false]]);
        expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
      });

      it('answers an empty room with an empty page', async () => {
        expect(await store.listEvents(newRoomId(), { first: 5 })).toEqual({ events: [], hasNextPage: false, endCursor: null });
        expect(await store.latestCursor(newRoomId())).toBeNull();
      });

      it('filters by type and by time, and pages within the filter', async () => {
        const roomId = newRoomId();
        const events: RoomEvent[] = [];
        for (let i = 0; i < 12; i += 1) {
          const at = T0 + i * 1000;
          events.push(i % 3 === 0 ? like(roomId, `l${i}`, at, 5, 5 * (i + 1)) : chat(roomId, `c${i}`, at));
        }
        await store.appendEvents(events);

        const likes = await store.listEvents(roomId, { first: 100, types: ['LikeEvent'] });
        expect(likes.events.map((event) => event.id)).toEqual(['l0', 'l3', 'l6', 'l9']);

        const window = await store.listEvents(roomId, { first: 100, since: T0 + 4000, until: T0 + 8000 });
        expect(window.events.map((event) => event.id)).toEqual(['c4', 'c5', 'l6', 'c7']);

        const firstPage = await store.listEvents(roomId, { first: 2, types: ['ChatEvent'], since: T0 + 2000 });
        const secondPage = await store.listEvents(roomId, { first: 2, types: ['ChatEvent'], since: T0 + 2000, after: firstPage.endCursor });
        expect([...firstPage.events, ...secondPage.events].map((event) => event.id)).toEqual(['c2', 'c4', 'c5', 'c7']);
        expect(secondPage.hasNextPage).toBe(true);
      });

      it('lists the newest page with newest, oldest first, within the filter, with no next page', async () => {
        const roomId = newRoomId();
        const events: RoomEvent[] = [];
        for (let i = 0; i < 12; i += 1) events.push(i % 3 === 0 ? like(roomId, `l${i}`, T0 + i * 1000, 5, 5 * (i + 1)) : chat(roomId, `c${i}`, T0 + i * 1000));
        await store.appendEvents(events);
        const newest = await store.listEvents(roomId, { first: 3, types: ['ChatEvent'], newest: true });
        expect(newest.events.map((event) => event.id)).toEqual(['c8', 'c10', 'c11']);
        expect(newest.hasNextPage).toBe(false);
        expect(newest.endCursor).toBe(newest.events.at(-1)?.cursor);
        const after = await store.listEvents(roomId, { first: 100, after: newest.endCursor });
        expect(after.events).toEqual([]);
        expect((await store.listEvents(roomId, { first: 100, newest: true })).events).toHaveLength(12);
        expect((await store.listEvents(newRoomId(), { first: 5, newest: true })).events).toEqual([]);
      });

      it('reports the newest cursor with latestCursor', async () => {
        const roomId = newRoomId();
        const refs = await store.appendEvents(chats(roomId, 4));
        expect(await store.latestCursor(roomId)).toBe(refs.at(-1)?.cursor);
      });

      it('rejects bad cursors as BAD_CURSOR and bad arguments as BAD_ARGUMENT', async () => {
        const roomId = newRoomId();
        const otherRoom = newRoomId();
        for (const after of ['not a cursor!', 'Zm9vYmFy', encodeCursor(otherRoom, 3), Buffer.from(`${roomId}:-1`).toString('base64url'), '']) {
          await expect(store.listEvents(roomId, { first: 5, after }), after).rejects.toMatchObject({ code: 'BAD_CURSOR' });
        }
        for (const first of [0, 1001, 2.5, Number.NaN]) {
          await expect(store.listEvents(roomId, { first }), String(first)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
        }
        await expect(store.listEvents(roomId, { first: 5, types: ['Nope' as never] })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
        await expect(store.listEvents(roomId, { first: 5, since: Number.POSITIVE_INFINITY })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
        await expect(store.listEvents("1'; DROP TABLE room_events; --", { first: 5 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
      });
    });

    describe('users', () => {
      it('keeps the latest profile, looked up by id or secUid, without losing known fields', async () => {
        const id = `${Date.now()}01`;
        await store.upsertUsers([user(id, { nickname: 'first', signature: 'hi', followerCount: 10 })]);
        await store.upsertUsers([user(id, { nickname: 'renamed', signature: null, followerCount: 12, secUid: null })]);
        const byId = await store.getUser({ id });
        expect(byId).toMatchObject({ id, nickname: 'renamed', signature: 'hi', followerCount: 12, secUid: `MS4wLjABAAAA${id}` });
        expect(await store.getUser({ secUid: `MS4wLjABAAAA${id}` })).toEqual(byId);
      });

      it('keeps odd text in profiles as it went in, for every user of one call', async () => {
        const ids = [`${Date.now()}03`, `${Date.now()}04`];
        const nicknames = ['主播 👋🏻 "quoted", \\ back\nline', '[捂脸] \u2028 {"not": "json"}'];
        await store.upsertUsers(ids.map((id, i) => user(id, { nickname: nicknames[i] as string })));
        expect(await Promise.all(ids.map(async (id) => (await store.getUser({ id }))?.nickname))).toEqual(nicknames);
      });

      it('takes the last of several profiles for one id in one call, and answers null for strangers', async () => {
        const id = `${Date.now()}02`;
        await store.upsertUsers([user(id, { nickname: 'a' }), user(id, { nickname: 'b' })]);
        expect((await store.getUser({ id }))?.nickname).toBe('b');
        expect(await store.getUser({ id: '404404404' })).toBeNull();
        expect(await store.getUser({ secUid: 'MS4wLjABAAAAnobody' })).toBeNull();
        await expect(store.getUser({ id: '' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
        await expect(store.upsertUsers([user('')])).rejects.toMatchObject({ code: 'BAD_EVENT' });
      });
    });

    describe('snapshots', () => {
      it('returns the most recent `limit` snapshots since a time, oldest first', async () => {
        const roomId = newRoomId();
        for (let i = 0; i < 5; i += 1) {
          await store.saveSnapshot(roomId, { at: T0 + i * 5000, viewerCount: 100 + i, totalViewers: 1000 + i, likeCount: 10 * i, status: 'LIVE' });
        }
        const latestTwo = await store.snapshots(roomId, { limit: 2 });
        expect(latestTwo.map((s) => s.viewerCount)).toEqual([103, 104]);
        const sinceThird = await store.snapshots(roomId, { since: T0 + 10_000, limit: 100 });
        expect(sinceThird.map((s) => s.at)).toEqual([T0 + 10_000, T0 + 15_000, T0 + 20_000]);
        expect(sinceThird[0]).toEqual({ roomId, at: T0 + 10_000, viewerCount: 102, totalViewers: 1002, likeCount: 20, status: 'LIVE' });
      });

      it('merges two snapshots taken at the same instant', async () => {
        const roomId = newRoomId();
        await store.saveSnapshot(roomId, { at: T0, viewerCount: 50, totalViewers: null, likeCount: null, status: null });
        await store.saveSnapshot(roomId, { at: T0, viewerCount: null, totalViewers: null, likeCount: 7, status: 'ENDED' });
        expect(await store.snapshots(roomId, { limit: 10 })).toEqual([
          { roomId, at: T0, viewerCount: 50, totalViewers: null, likeCount: 7, status: 'ENDED' },
        ]);
        await expect(store.saveSnapshot(roomId, { at: T0, viewerCount: -1, totalViewers: null, likeCount: null, status: null })).rejects.toMatchObject({
          code: 'BAD_ARGUMENT',
        });
        await expect(store.snapshots(roomId, { limit: 0 })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
      });

      it('saves several rooms in one call, merging two of one room at one instant, and writes nothing when one is invalid', async () => {
        const [one, two] = [newRoomId(), newRoomId()];
        const figures = { totalViewers: null, likeCount: null, status: null };
        const refused = await store.saveSnapshots([
          { roomId: two, snapshot: { at: T0, viewerCount: 20, ...figures }, epoch: null },
          { roomId: one, snapshot: { at: T0, viewerCount: 10, ...figures }, epoch: null },
          { roomId: one, snapshot: { at: T0, viewerCount: null, totalViewers: null, likeCount: 3, status: 'LIVE' }, epoch: null },
          { roomId: one, snapshot: { at: T0 + 5000, viewerCount: 11, ...figures }, epoch: null },
        ]);
        expect(refused).toEqual([]);
        expect(await store.snapshots(one, { limit: 10 })).toEqual([
          { roomId: one, at: T0, viewerCount: 10, totalViewers: null, likeCount: 3, status: 'LIVE' },
          { roomId: one, at: T0 + 5000, viewerCount: 11, ...figures },
        ]);
        expect((await store.snapshots(two, { limit: 10 })).map((s) => s.viewerCount)).toEqual([20]);
        const three = newRoomId();
        await expect(
          store.saveSnapshots([
            { roomId: three, snapshot: { at: T0, viewerCount: 1, ...figures }, epoch: null },
            { roomId: three, snapshot: { at: T0 + 1, viewerCount: -1, ...figures }, epoch: null },
          ]),
        ).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
        expect(await store.snapshots(three, { limit: 10 })).toEqual([]);
        expect(await store.saveSnapshots([])).toEqual([]);
      });
    });

    describe('gift ledger', () => {
      it('counts a combo by its deltas once, even when its events are delivered again', async () => {
        const roomId = newRoomId();
        const fan = user('2000001', { nickname: 'big fan' });
        const combo = [
          gift(roomId, 'g1', T0, { groupId: 'combo', deltaCount: 1, totalCount: 1, phase: 'STARTED', who: fan }),
          gift(roomId, 'g2', T0 + 100, { groupId: 'combo', deltaCount: 4, totalCount: 5, phase: 'PROGRESS', who: fan }),
          gift(roomId, 'g3', T0 + 200, { groupId: 'combo', deltaCount: 5, totalCount: 10, phase: 'FINAL', who: fan }),
        ];
        await store.upsertUsers([fan]);
        await store.appendEvents(combo);
        await store.appendEvents(combo);
        expect(await store.topGifters(roomId, 5)).toEqual([{ userId: fan.id, user: fan, giftCount: 10, diamonds: 10 * ROSE.diamondCount }]);
      });

      it('ranks gifters by diamonds and adds explicit ledger rows', async () => {
        const roomId = newRoomId();
        await store.appendEvents([
          gift(roomId, 'r1', T0, { deltaCount: 30, totalCount: 30, who: user('2000002') }),
          gift(roomId, 'k1', T0 + 1, { gift: ROCKET, deltaCount: 1, totalCount: 1, who: user('2000003') }),
        ]);
        await store.addGiftTotals([
          { roomId, userId: '2000002', giftId: ROSE.id, count: 2, diamonds: 2 * ROSE.diamondCount },
          { roomId, userId: '2000002', giftId: ROSE.id, count: 1, diamonds: ROSE.diamondCount },
        ]);
        const top = await store.topGifters(roomId, 10);
        expect(top.map((row) => [row.userId, row.giftCount, row.diamonds])).toEqual([
          ['2000003', 1, ROCKET.diamondCount],
          ['2000002', 33, 33 * ROSE.diamondCount],
        ]);
        expect(await store.topGifters(roomId, 1)).toHaveLength(1);
        await expect(store.addGiftTotals([{ roomId, userId: 'u', giftId: 'g', count: -1, diamonds: 0 }])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
      });
    });

    describe('roomStats', () => {
      it('summarises a room from its events, snapshots and ledger', async () => {
        const roomId = newRoomId();
        const alice = user('3000001');
        const bob = user('3000002');
        await store.appendEvents([
          chat(roomId, 'c1', T0, 'hi', alice),
          chat(roomId, 'c2', T0 + 1000, 'hey', bob),
          chat(roomId, 'c3', T0 + 2000, 'again', alice),
          like(roomId, 'l1', T0 + 3000, 15, 15),
          like(roomId, 'l2', T0 + 4000, 7, 22),
          follow(roomId, 'f1', T0 + 5000),
          viewers(roomId, 'v1', T0 + 6000, 900),
          viewers(roomId, 'v2', T0 + 7000, 1500),
          gift(roomId, 'g1', T0 + 8000, { gift: ROCKET, deltaCount: 2, totalCount: 2, who: bob }),
          viewers(roomId, 'v3', T0 + 9000, 1200),
          status(roomId, 's1', T0 + 10_000, 'LIVE'),
        ]);
        await store.saveSnapshot(roomId, { at: T0 + 9500, viewerCount: 1100, totalViewers: null, likeCount: 22, status: 'LIVE' });
        const stats = await store.roomStats(roomId);
        expect(stats).toMatchObject({
          roomId,
          messagesByType: { ChatEvent: 3, LikeEvent: 2, FollowEvent: 1, ViewerCountEvent: 3, GiftEvent: 1, RoomStatusEvent: 1 },
          totalMessages: 11,
          uniqueChatters: 2,
          likesTotal: 22,
          follows: 1,
          giftDiamondsTotal: 2 * ROCKET.diamondCount,
          peakViewers: 1500,
          currentViewers: 1100,
          firstEventAt: T0,
          lastEventAt: T0 + 10_000,
        });
        expect(stats.topGifters.map((row) => row.userId)).toEqual([bob.id]);
      });

      it('answers zeros and nulls for a room with no history', async () => {
        const roomId = newRoomId();
        expect(await store.roomStats(roomId)).toEqual({
          roomId,
          messagesByType: {},
          totalMessages: 0,
          uniqueChatters: 0,
          likesTotal: 0,
          follows: 0,
          giftDiamondsTotal: 0,
          topGifters: [],
          peakViewers: null,
          currentViewers: null,
          firstEventAt: null,
          lastEventAt: null,
        });
      });
    });

    describe('retention', () => {
      it('deletes what is older than the cutoff and never reuses a sequence number', async () => {
        const roomId = newRoomId();
        const old = T0 - 30 * DAY;
        const oldUser = `${Date.now()}03`;
        const freshUser = `${Date.now()}04`;
        const refs = await store.appendEvents([
          chat(roomId, 'old1', old),
          gift(roomId, 'old-gift', old + 1, { deltaCount: 3, totalCount: 3, who: user(oldUser) }),
          chat(roomId, 'new1', T0),
        ]);
        await store.saveSnapshot(roomId, { at: old, viewerCount: 1, totalViewers: null, likeCount: null, status: null });
        await store.saveSnapshot(roomId, { at: T0, viewerCount: 2, totalViewers: null, likeCount: null, status: null });
        await store.upsertUsers([user(oldUser)], old);
        await store.upsertUsers([user(freshUser)], T0);

        const result = await store.deleteOlderThan(T0 - DAY);
        // Other tests' rows all date from T0 onwards, so exactly this test's old rows go.
        expect(result).toEqual({ events: 2, snapshots: 1, giftTotals: 1, users: 1 });
        expect((await listAll(store, roomId)).map((event) => event.id)).toEqual(['new1']);
        expect((await store.snapshots(roomId, { limit: 10 })).map((s) => s.viewerCount)).toEqual([2]);
        expect(await store.topGifters(roomId, 10)).toEqual([]);
        expect(await store.getUser({ id: oldUser })).toBeNull();
        expect(await store.getUser({ id: freshUser })).not.toBeNull();

        await store.deleteOlderThan(T0 + DAY);
        expect(await store.countEvents(roomId)).toBe(0);
        const [next] = await store.appendEvents([chat(roomId, 'after-purge', T0 + 2 * DAY)]);
        expect(seqOf(next?.cursor ?? null)).toBe(seqOf(refs.at(-1)?.cursor ?? null) + 1);
        await expect(store.deleteOlderThan(Number.NaN)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
      });
    });

    describe('upstream resume points', () => {
      it('keeps the newest point per room and answers null for a room never seen', async () => {
        const roomId = newRoomId();
        const other = newRoomId();
        expect(await store.resumePoint(roomId)).toBeNull();
        await store.saveResumePoint(roomId, { cursor: 't-1_r-7690000000000000010_d-1_u-1', internalExt: 'seq:1', at: 2_000 });
        await store.saveResumePoint(roomId, { cursor: 't-2_r-7690000000000000020_d-1_u-1', internalExt: 'seq:2', at: 3_000 });
        // A slower writer's older point arriving late must not rewind the room.
        await store.saveResumePoint(roomId, { cursor: 't-0_r-7690000000000000005_d-1_u-1', internalExt: 'seq:0', at: 1_000 });
        await store.saveResumePoint(other, { cursor: 'c-other', internalExt: '', at: 5_000 });
        expect(await store.resumePoint(roomId)).toEqual({ cursor: 't-2_r-7690000000000000020_d-1_u-1', internalExt: 'seq:2', at: 3_000 });
        expect(await store.resumePoint(other)).toEqual({ cursor: 'c-other', internalExt: '', at: 5_000 });
      });
    });

    describe('settings', () => {
      it('keeps the first value proposed under a name and answers it to every later proposal', async () => {
        const name = `seed-${newRoomId()}`;
        expect(await store.keepSetting(name, 'first')).toBe('first');
        expect(await store.keepSetting(name, 'second')).toBe('first');
        expect(await store.keepSetting(`${name}-other`, 'second')).toBe('second');
      });
    });

    describe('close', () => {
      it('refuses calls after close with CLOSED', async () => {
        await store.close();
        await expect(store.appendEvents([chat(newRoomId(), 'x', T0)])).rejects.toMatchObject({ code: 'CLOSED' });
        await expect(store.listEvents(newRoomId(), { first: 1 })).rejects.toMatchObject({ code: 'CLOSED' });
        await store.close();
      });
    });
  });
}
