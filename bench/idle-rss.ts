// Idle resident memory of `npm start` in its default mode (built-in simulator, embedded PGlite
// store on disk, no client): dist/main.js is spawned as npm start runs it (scripts/run-gateway.mjs,
// with its memory settings) and its RSS read from /proc while it sits idle. The baseline, in the
// same run, is plain `node dist/main.js` without those settings. The store's buffer pool is the
// gateway's default (PGLITE_SHARED_BUFFERS_MB) unless --mb says otherwise. Each runs on a new
// data directory (from the initdb template), restarted on that directory, and in memory
// (`memory://`), alternating, so a change in the machine's load falls on both alike.
//   npx tsx bench/idle-rss.ts [--seconds 60] [--every 10] [--mb 16]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensurePgliteTemplate } from '../src/store/pglite-template.ts';
import { DEFAULT_SHARED_BUFFERS_MB } from '../src/store/pglite-store.ts';
import { startBuiltGateway } from './lib/built-gateway.ts';
import { describeMachine, formatLoad, loadAverage } from './lib/machine.ts';
import { formatTable } from './lib/table.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, every: { type: 'string', default: '10' }, mb: { type: 'string' } } });
const seconds = Number(values.seconds);
const every = Number(values.every);
const defaultMb = values.mb === undefined ? DEFAULT_SHARED_BUFFERS_MB : Number(values.mb);
if (!(seconds > 0) || !(every > 0) || !(defaultMb > 0)) throw new RangeError('--seconds, --every and --mb take positive numbers');

/** kB figures from /proc/<pid>/status: resident now and at its peak. */
function residentKb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

function sampleTimes(): number[] {
  const times: number[] = [];
  for (let at = 0; at < seconds; at += every) times.push(at);
  return [...times, seconds];
}

interface Sample {
  atSeconds: number;
  rssMib: number;
}

interface Run {
  label: string;
  samples: Sample[];
  peakMib: number;
}

async function idleRun(label: string, dataDir: string, sharedBuffersMb: number, startSettings: boolean): Promise<Run> {
  const gateway = startBuiltGateway({ DATA_DIR: dataDir, PGLITE_SHARED_BUFFERS_MB: String(sharedBuffersMb) }, undefined, { startSettings });
  try {
    const url = await gateway.url;
    const health = await fetch(new URL('/health', url));
    if (health.status !== 200) throw new Error(`/health answered ${health.status}`);
    const pid = gateway.child.pid as number;
    const samples: Sample[] = [];
    const started = performance.now();
    // The same sample times in every run, so the table's columns line up.
    for (const due of sampleTimes()) {
      const wait = due * 1000 - (performance.now() - started);
      if (wait > 0) await sleep(wait);
      samples.push({ atSeconds: due, rssMib: residentKb(pid).rss / 1024 });
    }
    return { label, samples, peakMib: residentKb(pid).peak / 1024 };
  } finally {
    await gateway.stop();
  }
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(root, 'scripts/ensure-deps.mjs')], { stdio: 'inherit', cwd: root });
  await ensurePgliteTemplate();
  const work = await mkdtemp(join(tmpdir(), 'bench-idle-rss-'));
  console.log(`idle RSS on ${describeMachine()}, shared_buffers ${defaultMb} MiB; ${formatLoad(loadAverage())} at start`);
  const runs: { run: Run; load: string }[] = [];
  try {
    const places = { new: 'new data dir', restart: 'restart on it', memory: 'memory://' } as const;
    for (const where of ['new', 'restart', 'memory'] as const) {
      for (const startSettings of [false, true]) {
        // A restart opens the directory the run before made.
        const dataDir = where === 'memory' ? 'memory://' : join(work, `store-${startSettings}`);
        const label = `${places[where]}, ${startSettings ? 'npm start' : 'node dist/main.js (baseline)'}`;
        runs.push({ run: await idleRun(label, dataDir, defaultMb, startSettings), load: loadAverage()[0].toFixed(2) });
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const times = runs[0]?.run.samples.map((sample) => `${Math.round(sample.atSeconds)} s`) ?? [];
  const rows = runs.map(({ run, load }) => [run.label, ...run.samples.map((sample) => sample.rssMib.toFixed(0)), run.peakMib.toFixed(0), load]);
  console.log(formatTable(['gateway (npm start, no client)', ...times, 'peak', 'load 1m'], rows));
  console.log(`MiB resident (VmRSS) after /health answered 200; peak is VmHWM. ${formatLoad(loadAverage())} at the end`);
}

await main();
