// CI's fresh-clone check: `npm start` builds what is missing and reaches listening from the
// compiled JS in dist/, on a new store, within a bounded time; then it stops on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
  if (!output.includes('node dist/main.js')) fail('npm start did not run the compiled dist/main.js');
  const health = await fetch(new URL('/health', url));
  if (health.status !== 200) fail(`GET /health answered ${health.status}`);
  child.removeAllListeners('exit');
  child.on('exit', () => {
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`start check: npm start listened at ${url} from dist/main.js after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  process.kill(-child.pid, 'SIGTERM');
};
child.stdout.setEncoding('utf8').on('data', onData);
child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
