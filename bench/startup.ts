// `npm start` from compiled JS: how long from spawning `node dist/main.js` until it prints its
// URL, answers /health, and delivers a first live event of a simulator room over graphql-ws; and
// inside that, the phases its own log lines mark: code loaded and config read ("starting"), the
// store opened and migrated ("store open"), the built-in simulator serving, the gateway listening.
// Run on a new data directory as a first start does (baseline: initdb, as before the template;
// then from the initdb template), again as a restart on that store, and in memory.
//   npx tsx bench/startup.ts [--runs 2]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { PGLITE_TEMPLATE_PATH, ensurePgliteTemplate } from '../src/store/pglite-template.ts';
import { startBuiltGateway } from './lib/built-gateway.ts';
import { describeMachine, formatLoad, loadAverage } from './lib/machine.ts';
import { fmtMs, formatTable } from './lib/table.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '2' } } });
const runs = Number(values.runs);

interface Phases {
  /** ms since spawn at which the gateway logged each phase's end. */
  started: number;
  storeOpen: number;
  simulator: number;
  serving: number;
  listening: number;
  health: number;
  firstEvent: number;
}

async function timeStart(dataDir: string): Promise<Phases> {
  const started = performance.now();
  const since = () => performance.now() - started;
  // Log lines carry wall-clock times: phases are measured against the spawn on the same clock.
  const spawnedAt = Date.now();
  // Each phase by its log line's own time (stdout is JSON lines when not a terminal): pino
  // writes asynchronously, so a line can arrive after the URL printed later by console.log.
  const marks = new Map<string, number>();
  const PHASES: [key: string, message: RegExp][] = [
    ['started', /^starting$/],
    ['storeOpen', /^store open$/],
    ['simulator', /^built-in Douyin simulator/],
    ['serving', /^GraphQL gateway listening$/],
  ];
  const gateway = startBuiltGateway({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }, (line) => {
    if (!line.startsWith('{')) return;
    const entry = JSON.parse(line) as { msg?: unknown; time?: unknown };
    const msg = String(entry.msg ?? '');
    for (const [key, message] of PHASES) if (!marks.has(key) && message.test(msg)) marks.set(key, Date.parse(String(entry.time)) - spawnedAt);
  });
  try {
    const url = await gateway.url;
    const listening = since();
    const health = await fetch(new URL('/health', url));
    if (health.status !== 200) throw new Error(`/health answered ${health.status}`);
    const healthAt = since();
    const feed = (await (
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ liveFeed(first: 1) { id } }' }) })
    ).json()) as { data?: { liveFeed: { id: string }[] } };
    const roomId = feed.data?.liveFeed[0]?.id;
    if (roomId === undefined) throw new Error(`no live room in the feed: ${JSON.stringify(feed)}`);
    const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    await new Promise<void>((resolve, reject) => {
      const stop = client.subscribe(
        { query: 'subscription($roomId: ID!) { roomEvents(roomId: $roomId) { __typename } }', variables: { roomId } },
        { next: () => (stop(), resolve()), error: reject, complete: () => reject(new Error('the subscription ended before an event')) },
      );
    });
    const firstEvent = since();
    await client.dispose();
    const mark = (key: string) => {
      const at = marks.get(key);
      if (at === undefined) throw new Error(`the gateway never logged its ${key} phase`);
      return at;
    };
    return { started: mark('started'), storeOpen: mark('storeOpen'), simulator: mark('simulator'), serving: mark('serving'), listening, health: healthAt, firstEvent };
  } finally {
    await gateway.stop();
  }
}

/** Runs `work` with the initdb template out of the way, as a checkout from before it existed. */
async function withoutTemplate<T>(work: () => Promise<T>): Promise<T> {
  const aside = `${PGLITE_TEMPLATE_PATH}.aside`;
  await rename(PGLITE_TEMPLATE_PATH, aside);
  try {
    return await work();
  } finally {
    await rename(aside, PGLITE_TEMPLATE_PATH);
  }
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(root, 'scripts/ensure-deps.mjs')], { stdio: 'inherit', cwd: root });
  await ensurePgliteTemplate();
  const work = await mkdtemp(join(tmpdir(), 'bench-startup-'));
  const rows: string[][] = [];
  // Each phase as its own duration (the step before it ended), then the totals a user sees.
  const add = (label: string, p: Phases) =>
    rows.push([
      label,
      fmtMs(p.started),
      fmtMs(p.storeOpen - p.started),
      fmtMs(p.simulator - p.storeOpen),
      fmtMs(p.serving - p.simulator),
      fmtMs(p.listening),
      fmtMs(p.health),
      fmtMs(p.firstEvent),
      formatLoad(loadAverage()),
    ]);
  try {
    for (let run = 1; run <= runs; run++) {
      const baselineDir = join(work, `initdb-${run}`);
      add(`new store, initdb (baseline) #${run}`, await withoutTemplate(() => timeStart(baselineDir)));
      const dataDir = join(work, `template-${run}`);
      add(`new store, from the template #${run}`, await timeStart(dataDir));
      add(`restart on that store #${run}`, await timeStart(dataDir));
      add(`memory:// #${run}`, await timeStart('memory://'));
    }
  } finally {
    if (!existsSync(PGLITE_TEMPLATE_PATH)) await ensurePgliteTemplate();
    await rm(work, { recursive: true, force: true });
  }
  console.log(describeMachine());
  console.log(
    formatTable(['start', 'load code + config', 'open store', 'simulator', 'collectors + server', 'listening (total)', '/health 200', 'first event', 'load'], rows),
  );
}

await main();
