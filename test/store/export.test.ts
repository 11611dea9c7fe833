import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/domain/events.ts';
import { exportRoom } from '../../src/store/export-cli.ts';
import { CSV_COLUMNS, csvField, csvRow, eventCsvRow, parseExportArgs, renderProgress } from '../../src/store/export-format.ts';
import { IN_MEMORY, openPgliteStore } from '../../src/store/pglite-store.ts';
import { PGLITE_TIMEOUT_MS, ROCKET, T0, chat, gift, like, newRoomId, user } from './fixtures.ts';

const CLI = fileURLToPath(new URL('../../src/store/export-cli.ts', import.meta.url));

/** RFC 4180 reader, written independently of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 1);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 1);
    else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

const TRICKY = ['plain', 'comma, inside', 'say "hi"', 'two\nlines', 'cr\ronly', '  spaced  ', '主播 666 👍', '=SUM(A1:A2)', ''];

function trickyEvents(roomId: string): RoomEvent[] {
  return [
    ...TRICKY.map((content, i) => chat(roomId, `t${i}`, T0 + i, content, user('6000001', { nickname: 'nick, "the" name' }))),
    gift(roomId, 'g', T0 + 100, { gift: ROCKET, deltaCount: 2, totalCount: 2 }),
    like(roomId, 'l', T0 + 200, 15, 300),
  ];
}

describe('parseExportArgs', () => {
  it('reads every option, with DATABASE_URL and DATA_DIR as defaults', () => {
    expect(parseExportArgs(['--room', '7300000000000000001', '--format', 'csv', '--out', 'x.csv', '--data-dir', '/var/dl'])).toEqual({
      roomId: '7300000000000000001',
      format: 'csv',
      out: 'x.csv',
      databaseUrl: null,
      dataDir: '/var/dl',
    });
    expect(parseExportArgs(['--room', '7300000000000000001'], { DATABASE_URL: 'postgres://db/live', DATA_DIR: '/srv' })).toEqual({
      roomId: '7300000000000000001',
      format: 'jsonl',
      out: null,
      databaseUrl: 'postgres://db/live',
      dataDir: '/srv',
    });
    expect(parseExportArgs(['--room', '7300000000000000001', '--out', '-']).out).toBeNull();
  });

  it.each([
    [[], '--room is required'],
    [['--room', '7300000000000000001', '--format', 'srt'], '--format must be jsonl, csv, xml or ass'],
    [['--room', 'no spaces please'], 'is not a room id'],
    [['--room', '7300000000000000001', '--colour'], "Unknown option '--colour'"],
    [['--room', '7300000000000000001', 'stray'], 'positional'],
    [['--room', '7300000000000000001', '--database-url', 'mysql://x'], 'must start with postgres://'],
    [['--help'], 'usage: npm run export'],
  ])('refuses %j with BAD_ARGUMENT naming the problem', (argv, problem) => {
    expect(() => parseExportArgs(argv)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringContaining(problem) }));
  });
});

describe('CSV rendering', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['  spaced  ', '  spaced  '],
    [null, ''],
    [42, '42'],
  ])('escapes %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes rows a strict CSV reader reads back field for field', () => {
    const roomId = newRoomId();
    const events = trickyEvents(roomId).map((event, i) => ({ ...event, cursor: `c${i}` }));
    const parsed = parseCsv(csvRow(CSV_COLUMNS) + events.map(eventCsvRow).join(''));
    expect(parsed[0]).toEqual([...CSV_COLUMNS]);
    expect(parsed.slice(1, TRICKY.length + 1).map((row) => row[7])).toEqual(TRICKY);
    expect(parsed.slice(1).map((row) => JSON.parse(row[8] ?? 'null'))).toEqual(events);
    expect(parsed[1]?.slice(0, 7)).toEqual(['c0', 't0', 'ChatEvent', String(T0), new Date(T0).toISOString(), '6000001', 'nick, "the" name']);
    expect(parsed.at(-2)?.[7]).toBe(`${ROCKET.name} x2`);
  });
});

describe('renderProgress', () => {
  it.each([
    [0, 10, 0],
    [5, 10, 5],
    [10, 10, 10],
    [0, 0, 10],
    [15, 10, 10],
  ])('%i of %i fills %i of 10 cells', (done, total, filled) => {
    const line = renderProgress(done, total, 10);
    expect(line.slice(1, 11)).toBe('#'.repeat(filled) + '-'.repeat(10 - filled));
    expect(line).toContain(`${done}/${total} events`);
  });
});

describe('exportRoom', () => {
  it('streams a history longer than one page in order, reporting progress per page', async () => {
    const store = await openPgliteStore({ dataDir: IN_MEMORY });
    try {
      await store.migrate();
      const roomId = newRoomId();
      const events = Array.from({ length: 1203 }, (_, i) => chat(roomId, `p${i}`, T0 + i, `line ${i}`));
      await store.appendEvents(events);
      const chunks: string[] = [];
      const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk.toString()), done()) });
      const progress: [number, number][] = [];
      const result = await exportRoom(store, { roomId, format: 'jsonl' }, sink, (done, total) => progress.push([done, total]));
      const lines = chunks.join('').trimEnd().split('\n').map((line) => JSON.parse(line) as RoomEvent);
      expect(result.exported).toBe(1203);
      expect(lines.map((event) => event.id)).toEqual(events.map((event) => event.id));
      expect(lines.every((event) => typeof event.cursor === 'string')).toBe(true);
      expect(progress).toEqual([[500, 1203], [1000, 1203], [1203, 1203]]);
    } finally {
      await store.close();
    }
  }, PGLITE_TIMEOUT_MS);
});

describe('export CLI (child process)', () => {
  let dir: string;
  let dataDir: string;
  let roomId: string;
  let expected: RoomEvent[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-export-'));
    dataDir = join(dir, 'data');
    roomId = newRoomId();
    const store = await openPgliteStore({ dataDir });
    await store.migrate();
    await store.appendEvents(trickyEvents(roomId));
    await store.appendEvents([chat(newRoomId(), 'other-room', T0)]);
    expected = (await store.listEvents(roomId, { first: 100 })).events;
    await store.close();
  }, PGLITE_TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, DATABASE_URL: '' }, timeout: PGLITE_TIMEOUT_MS }, (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
      );
    });

  it('writes the room as CSV to a file, with progress on stderr', async () => {
    const out = join(dir, 'room.csv');
    const result = await run(['--room', roomId, '--format', 'csv', '--out', out, '--data-dir', dataDir]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain(`100.0%  ${expected.length}/${expected.length} events`);
    const rows = parseCsv(await readFile(out, 'utf8'));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((row) => JSON.parse(row[8] ?? 'null'))).toEqual(expected);
  }, PGLITE_TIMEOUT_MS);

  it('writes the room as JSONL to stdout', async () => {
    const result = await run(['--room', roomId, '--data-dir', dataDir]);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual(expected);
  }, PGLITE_TIMEOUT_MS);

  it('exits 2 with the usage on bad arguments and 1 when there is no store', async () => {
    const bad = await run(['--room', roomId, '--format', 'srt']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be jsonl, csv, xml or ass');
    const missing = await run(['--room', roomId, '--data-dir', join(dir, 'nowhere')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no embedded store at');
  }, PGLITE_TIMEOUT_MS);
});
