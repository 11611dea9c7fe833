// `npm run bench`: every benchmark, one after the other, each beside its baseline; prints each
// part's table as it finishes and writes everything to bench/results.json (gitignored). A part
// that fails is reported and the others still run.
// Run: npx tsx bench/run-all.ts [--only fanout,http] [--skip ingest-store]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatBatching, runBatchingBench } from './batching.ts';
import { formatCache, runCacheBench } from './cache.ts';
import { formatTable as formatDecode, runDecodeBench } from './decode.ts';
import { formatFanout, runFanoutBench } from './fanout.ts';
import { formatHttp, runHttpBench } from './http.ts';
import { formatIngestStoreResults, runIngestStoreBench } from './ingest-store.ts';
import { describeMachine, formatLoad, loadAverage, machineInfo, type LoadAverage, type MachineInfo } from './lib/machine.ts';
import { argValue, isMain } from './lib/main.ts';
import { selectParts } from './lib/parts.ts';
import { formatMemory, runMemoryBench } from './memory.ts';

const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));
const INGEST_BENCH = new URL('./ingest.ts', import.meta.url);

export interface Part {
  name: string;
  run(log: (line: string) => void): Promise<unknown>;
  format(result: unknown): string;
}

export interface PartOutcome {
  ok: boolean;
  seconds: number;
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
  result?: unknown;
  error?: string;
}

export interface Results {
  machine: MachineInfo;
  /** The code measured: HEAD, and the source files that differed from it (other work in progress). */
  git: { commit: string | null; uncommitted: string[] };
  startedAt: string;
  finishedAt: string;
  seconds: number;
  parts: Record<string, PartOutcome>;
}

function part<T>(name: string, run: (log: (line: string) => void) => Promise<T>, format: (result: T) => string): Part {
  return { name, run, format: (result) => format(result as T) };
}

/** bench/ingest.ts belongs to the store's owners and may not exist yet: run it when it does. */
async function ingestPart(): Promise<Part | null> {
  if (!existsSync(fileURLToPath(INGEST_BENCH))) return null;
  const module = (await import(pathToFileURL(fileURLToPath(INGEST_BENCH)).href)) as Record<string, unknown>;
  const run = module.runIngestBench;
  if (typeof run !== 'function') return null;
  const formatter = Object.entries(module).find(([key, value]) => key.startsWith('format') && typeof value === 'function')?.[1] as
    | ((result: unknown) => string)
    | undefined;
  // Fewer rooms and shorter measurements than its standalone default (1, 10, 50 rooms, 5 s each).
  const options = { rooms: [1, 10], measureMs: 3_000 };
  return part('ingest', () => (run as (o: typeof options) => Promise<unknown>)(options), (result) => (formatter ? formatter(result) : JSON.stringify(result, null, 2)));
}

export async function allParts(): Promise<Part[]> {
  const parts = [
    part('decode', () => runDecodeBench(), formatDecode),
    part('batching', () => runBatchingBench(), formatBatching),
    part('http', () => runHttpBench(), formatHttp),
    part('cache', () => runCacheBench(), formatCache),
    part('memory', () => runMemoryBench(), formatMemory),
    part('fanout', (log) => runFanoutBench({}, log), formatFanout),
    // Smaller than its standalone default, so the whole run stays within a few minutes.
    part('ingest-store', () => runIngestStoreBench({ events: 5_000, baselineEvents: 200, timeLimitMs: 10_000 }), formatIngestStoreResults),
  ];
  const ingest = await ingestPart();
  return ingest === null ? parts : [...parts, ingest];
}

function gitState(): Results['git'] {
  // Porcelain lines start with a status column that may be a space: trim only the end.
  const git = (...args: string[]) => execFileSync('git', args, { cwd: fileURLToPath(new URL('../', import.meta.url)), encoding: 'utf8' }).trimEnd();
  try {
    const uncommitted = git('status', '--porcelain', '--', 'src', 'bench')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.slice(3));
    return { commit: git('rev-parse', 'HEAD'), uncommitted };
  } catch {
    return { commit: null, uncommitted: [] };
  }
}

export async function runAll(parts: readonly Part[], print: (text: string) => void): Promise<Results> {
  const startedAt = new Date();
  const outcomes: Record<string, PartOutcome> = {};
  for (const p of parts) {
    const loadBefore = loadAverage();
    print(`\n== ${p.name} (${formatLoad(loadBefore)})`);
    const started = performance.now();
    try {
      const result = await p.run((line) => print(line));
      const seconds = (performance.now() - started) / 1000;
      outcomes[p.name] = { ok: true, seconds, loadBefore, loadAfter: loadAverage(), result };
      print(p.format(result));
      print(`(${seconds.toFixed(1)} s, ${formatLoad(loadAverage())} at the end)`);
    } catch (error) {
      const seconds = (performance.now() - started) / 1000;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      outcomes[p.name] = { ok: false, seconds, loadBefore, loadAfter: loadAverage(), error: message };
      print(`${p.name} failed after ${seconds.toFixed(1)} s: ${message}`);
    }
  }
  const finishedAt = new Date();
  return {
    machine: machineInfo(),
    git: gitState(),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    parts: outcomes,
  };
}

if (isMain(import.meta.url)) {
  const parts = selectParts(await allParts(), argValue('only'), argValue('skip'));
  console.log(`benchmarks on ${describeMachine()}; ${formatLoad(loadAverage())} at start; parts: ${parts.map((p) => p.name).join(', ')}`);
  const results = await runAll(parts, (text) => console.log(text));
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  const failed = Object.entries(results.parts).filter(([, outcome]) => !outcome.ok);
  console.log(`\n${Object.keys(results.parts).length} parts in ${results.seconds.toFixed(0)} s; results in bench/results.json${failed.length > 0 ? `; failed: ${failed.map(([name]) => name).join(', ')}` : ''}`);
  if (results.git.uncommitted.length > 0) console.log(`measured with uncommitted changes in: ${results.git.uncommitted.join(', ')}`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}
