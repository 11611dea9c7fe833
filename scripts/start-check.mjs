// CI's fresh-clone check: `npm start` builds what is missing and reaches listening from the
// compiled JS in dist/, with the memory settings of scripts/run-gateway.mjs, on a new store,
// within a bounded time; then it stops on SIGTERM.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIMIT_MS = 240_000;
const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'start-check-'));
const started = Date.now();
const child = spawn('npm', ['start'], {
  cwd: root,
  detached: true,
  env: { ...process.env, PORT: '0', SIMULATOR_PORT: '0', DATA_DIR: join(dataDir, 'data'), LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
const fail = (reason) => {
  process.stderr.write(`start check failed: ${reason}\n--- npm start output ---\n${output}\n`);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {}
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
};
const timer = setTimeout(() => fail(`no "GraphiQL:" line within ${LIMIT_MS / 1000} s`), LIMIT_MS);
child.on('exit', (code) => fail(`npm start exited with ${code} before listening`));
const onData = async (chunk) => {
  output += chunk;
  const url = /GraphiQL: (\S+)/.exec(output)?.[1];
  if (url === undefined) return;
  child.stdout.off('data', onData);
  clearTimeout(timer);
  const gateway = gatewayProcess(child.pid);
  if (gateway === undefined) fail('no process of npm start runs the compiled dist/main.js');
  if (!gateway.args.includes('--max-semi-space-size=8')) fail(`the gateway runs without --max-semi-space-size: ${gateway.args.join(' ')}`);
  if (!gateway.env.includes('MALLOC_MMAP_THRESHOLD_=')) fail('the gateway runs without MALLOC_MMAP_THRESHOLD_ in its environment');
  const health = await fetch(new URL('/health', url));
  if (health.status !== 200) fail(`GET /health answered ${health.status}`);
  child.removeAllListeners('exit');
  child.on('exit', () => {
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`start check: npm start listened at ${url} from dist/main.js after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  process.kill(-child.pid, 'SIGTERM');
};
/** The process in npm start's group whose command line runs dist/main.js: its arguments and environment. */
function gatewayProcess(groupId) {
  const pids = execFileSync('ps', ['-o', 'pid=', '-g', String(groupId)], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
  for (const pid of pids) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args[0] !== 'sh' && args.some((arg) => arg.endsWith('dist/main.js'))) return { args, env: readFileSync(`/proc/${pid}/environ`, 'utf8') };
    } catch {
      // gone between ps and the read
    }
  }
  return undefined;
}

child.stdout.setEncoding('utf8').on('data', onData);
child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
