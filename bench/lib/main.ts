// Each bench file runs alone (`npx tsx bench/<part>.ts`) and is imported by bench/run-all.ts:
// this tells the two apart.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && moduleUrl === pathToFileURL(resolve(entry)).href;
}

/** `--name value` or `--name=value` from the command line, else undefined. */
export function argValue(name: string, argv: readonly string[] = process.argv.slice(2)): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

/** A comma-separated list of positive integers, e.g. `--subscribers 100,1000`. */
export function parseCounts(text: string | undefined, fallback: readonly number[]): number[] {
  if (text === undefined || text.trim() === '') return [...fallback];
  const counts = text.split(',').map((part) => Number(part.trim()));
  const bad = counts.filter((count) => !Number.isSafeInteger(count) || count <= 0);
  if (bad.length > 0 || counts.length === 0) throw new RangeError(`expected comma-separated positive integers, got "${text}"`);
  return counts;
}

/** A positive number of seconds as milliseconds, e.g. `--seconds 2.5`. */
export function parseSeconds(text: string | undefined, fallbackMs: number): number {
  if (text === undefined || text.trim() === '') return fallbackMs;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new RangeError(`expected a positive number of seconds, got "${text}"`);
  return Math.round(seconds * 1000);
}
