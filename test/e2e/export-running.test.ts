// issue 14 proof: export works while the gateway runs, when history is in PostgreSQL (any number
// of processes may read it). The gateway keeps collecting the room while `npm run export` reads
// it, as xml danmaku and as jsonl; an unknown room is an error, not an empty file. (Beside a
// gateway on the embedded store the export is refused with the reason: test/e2e/access-startup.)
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGLITE_TIMEOUT_MS } from '../store/fixtures.ts';
import { allStored } from './fixtures/all-stored.ts';
import { runExport } from './fixtures/export-cli.ts';
import { pgUnavailable, postgresStore, type StoreUnderTest } from './fixtures/stores.ts';
import { startStack, subscribe, until, type Stack } from './stack.ts';

describe.skipIf(pgUnavailable !== null)('export beside a running gateway on PostgreSQL', () => {
  let target: StoreUnderTest;
  let stack: Stack;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'export-running-'));
    target = await postgresStore('export_running');
    stack = await startStack({ env: target.env });
  }, PGLITE_TIMEOUT_MS);
  afterAll(async () => {
    await stack?.close();
    await target?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the room while the gateway keeps it open, and refuses an unknown room', async () => {
    const room = stack.sim.liveRooms()[0]!;
    const client = stack.wsClient();
    const live = subscribe<{ roomEvents: { __typename: string; id: string; state?: string } }>(
      client,
      'subscription($id: ID!) { roomEvents(roomId: $id) { __typename id ... on ConnectionStateEvent { state } } }',
      { id: room.id },
    );
    // The collector connects on the first subscriber: what is sent before that is not this test's.
    await until(() => live.results.some((result) => result.roomEvents.state === 'LIVE'), 'the room collected');
    const chats = room.emit(20, { kinds: ['chat'] }).filter((record) => !record.duplicate);
    // Delivered to a subscriber means stored first (the pipeline stores before it publishes).
    await until(() => chats.every((chat) => live.results.some((result) => result.roomEvents.id === chat.msgId)), 'the chats delivered');

    const xml = await runExport(['--room', room.id, '--format', 'xml', ...target.exportArgs]);
    expect(xml.stderr).not.toContain('error');
    expect(xml.code).toBe(0);
    const danmaku = [...xml.stdout.matchAll(/<d p="[^"]*,(\d+)">([^<]*)<\/d>/g)].map((match) => match[1]);
    expect(danmaku).toEqual(chats.map((chat) => chat.msgId));

    const jsonl = await runExport(['--room', room.id, ...target.exportArgs]);
    expect(jsonl.code).toBe(0);
    // The gateway is still running: the room still streams to the subscriber after both exports.
    const more = room.emit(1, { kinds: ['chat'] })[0]!;
    await until(() => live.results.some((result) => result.roomEvents.id === more.msgId), 'a chat after the export');
    live.stop();
    const store = await target.open();
    try {
      const stored = (await allStored(store, room.id)).map((event) => event.id);
      const exported = jsonl.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { id: string }).id);
      // What the export saw is what was stored up to then, in order: the stored list without the
      // chat sent after it.
      expect(exported).toEqual(stored.slice(0, exported.length));
      expect(exported).toEqual(expect.arrayContaining(chats.map((chat) => chat.msgId)));
      expect(stored).toContain(more.msgId);
    } finally {
      await store.close();
    }

    const out = join(dir, 'unknown.jsonl');
    const unknown = await runExport(['--room', '7300000000000000009', '--out', out, ...target.exportArgs]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('(ROOM_NOT_FOUND)');
    expect(existsSync(out)).toBe(false);
  }, PGLITE_TIMEOUT_MS);
});
