// How long `npm test` takes, and where the time goes: the typecheck, then vitest's wall time with
// each test file's own duration (slowest first) and each project's sum. Run it alone on the
// machine: other work on the two cores stretches every figure.
//   npx tsx bench/suite.ts [vitest filters…]     e.g. `npx tsx bench/suite.ts test/live` for a part
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, formatLoad, loadAverage } from './lib/machine.ts';
import { fmtMs, formatTable } from './lib/table.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

/** Runs a command in the checkout; resolves with its wall time and exit code. */
function timed(command: string, args: string[]): Promise<{ ms: number; code: number | null }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => resolve({ ms: performance.now() - started, code }));
  });
}

interface FileResult {
  name: string;
  startTime: number;
  endTime: number;
  status: string;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'bench-suite-'));
  const report = join(work, 'report.json');
  const loadBefore = formatLoad(loadAverage());
  try {
    const typecheck = await timed(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit']);
    const vitest = await timed(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', `--outputFile=${report}`, ...filters]);
    const files = (JSON.parse(await readFile(report, 'utf8')) as { testResults: FileResult[] }).testResults;
    const isolated = /\/test\/(e2e|store)\//;
    const byProject = new Map<string, { files: number; ms: number }>();
    for (const file of files) {
      const project = isolated.test(file.name) ? 'isolated (own process per file)' : 'shared';
      const sum = byProject.get(project) ?? { files: 0, ms: 0 };
      byProject.set(project, { files: sum.files + 1, ms: sum.ms + (file.endTime - file.startTime) });
    }
    console.log(describeMachine());
    console.log(`load before: ${loadBefore}; after: ${formatLoad(loadAverage())}`);
    console.log(
      formatTable(
        ['step', 'wall', 'exit'],
        [
          ['tsc --noEmit', fmtMs(typecheck.ms), String(typecheck.code)],
          [`vitest run${filters.length > 0 ? ` ${filters.join(' ')}` : ''}`, fmtMs(vitest.ms), String(vitest.code)],
          ['npm test (sum)', fmtMs(typecheck.ms + vitest.ms), ''],
        ],
      ),
    );
    console.log(formatTable(['project', 'files', 'sum of file times'], [...byProject].map(([name, sum]) => [name, String(sum.files), fmtMs(sum.ms)])));
    const slowest = [...files].sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime)).slice(0, 15);
    console.log(formatTable(['slowest files', 'time', 'status'], slowest.map((file) => [relative(root, file.name), fmtMs(file.endTime - file.startTime), file.status])));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
