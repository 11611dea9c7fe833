// `npm run export -- --room <id> --format jsonl|csv [--out file]`: streams a room's stored events
// page by page, so memory stays flat however long the history, with a progress bar on stderr.
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RoomEvent } from '../domain/events.ts';
import { isStoreError } from './errors.ts';
import type { EventStore } from './event-store.ts';
import { roomStartMs } from '../domain/ids.ts';
import { createAssDanmaku, type DanmakuRenderer, xmlDanmaku } from './export-danmaku.ts';
import { type ExportArgs, type ExportFormat, csvHeader, eventCsvRow, jsonlLine, parseExportArgs, renderProgress } from './export-format.ts';
import { openStore } from './open-store.ts';
import { IN_MEMORY } from './pglite-store.ts';

const PAGE_SIZE = 500;

/** PGlite serves one process: a running gateway keeps its embedded store to itself. */
const WHILE_RUNNING =
  'To export while the gateway runs, keep history in PostgreSQL (DATABASE_URL, or --database-url here), ' +
  'which any number of processes can read; with the embedded store, stop the gateway first.';

export interface ExportResult {
  exported: number;
}

/** Writes every stored event of the room to `out`; `onProgress` is called after each page. */
export async function exportRoom(
  store: EventStore,
  args: Pick<ExportArgs, 'roomId' | 'format'>,
  out: Writable,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<ExportResult> {
  const total = await store.countEvents(args.roomId);
  const renderer = rendererFor(args.format);
  let startMs = roomStartMs(args.roomId);
  await write(out, renderer.header());
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const page = await store.listEvents(args.roomId, { first: PAGE_SIZE, after });
    startMs ??= page.events[0]?.createdAt ?? 0;
    const start = startMs;
    await write(out, page.events.map((event: RoomEvent) => renderer.line(event, start)).join(''));
    done += page.events.length;
    onProgress(done, Math.max(total, done));
    if (!page.hasNextPage) break;
    after = page.endCursor;
  }
  await write(out, renderer.footer());
  return { exported: done };
}

function rendererFor(format: ExportFormat): DanmakuRenderer {
  switch (format) {
    case 'csv':
      return { header: csvHeader, line: eventCsvRow, footer: () => '' };
    case 'xml':
      return xmlDanmaku;
    case 'ass':
      return createAssDanmaku();
    case 'jsonl':
      return { header: () => '', line: jsonlLine, footer: () => '' };
  }
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (chunk !== '' && !out.write(chunk)) await once(out, 'drain');
}

/** Redraws in place on a terminal; elsewhere prints a line per tenth, so logs stay short. */
function progressPrinter(stderr: NodeJS.WriteStream): (done: number, total: number) => void {
  let lastTenth = -1;
  return (done, total) => {
    if (stderr.isTTY) {
      stderr.write(`\r${renderProgress(done, total)}${done >= total ? '\n' : ''}`);
      return;
    }
    const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    stderr.write(`${renderProgress(done, total)}\n`);
  };
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: ExportArgs;
  try {
    args = parseExportArgs(argv, env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (args.databaseUrl === null && args.dataDir !== IN_MEMORY && !existsSync(args.dataDir)) {
    process.stderr.write(`error: no embedded store at ${args.dataDir} (set --data-dir or --database-url)\n`);
    return 1;
  }
  let store: EventStore | null = null;
  try {
    store = await openStore({ databaseUrl: args.databaseUrl, dataDir: args.dataDir });
    if ((await store.countEvents(args.roomId)) === 0) {
      process.stderr.write(`error: no stored events for room ${args.roomId} in ${args.databaseUrl === null ? args.dataDir : 'the database'} (ROOM_NOT_FOUND)\n`);
      return 1;
    }
    // Opened only now, so a refused export leaves no empty file behind.
    const out: Writable = args.out === null ? process.stdout : createWriteStream(args.out);
    const outFailed = new Promise<never>((_resolve, reject) => out.once('error', reject));
    outFailed.catch(() => undefined);
    const { exported } = await Promise.race([exportRoom(store, args, out, progressPrinter(process.stderr)), outFailed]);
    if (args.out !== null) await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    process.stderr.write(`exported ${exported} events of room ${args.roomId}${args.out === null ? '' : ` to ${args.out}`}\n`);
    return 0;
  } catch (error) {
    // The reader went away (`| head`): what it wanted it has; that is not a failure.
    if ((error as NodeJS.ErrnoException)?.code === 'EPIPE') return 0;
    const code = isStoreError(error) ? error.code : ((error as NodeJS.ErrnoException)?.code ?? 'ERROR');
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)} (${code})\n`);
    if (code === 'STORE_LOCKED') process.stderr.write(`${WHILE_RUNNING}\n`);
    return 1;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
