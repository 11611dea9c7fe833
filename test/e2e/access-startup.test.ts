// issue 7 proof, start-up: `npm start`'s entry point (src/main.ts) as a child process. Without
// API tokens it refuses any address but loopback, with a clear message and exit code 2, before
// starting anything; on loopback it runs open and says so; a corrupt token file is refused too.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runExport } from './fixtures/export-cli.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** Settings the test chooses itself, never inherited from the shell running the suite. */
const NOT_INHERITED = /^(HOST|PORT|API_TOKENS_FILE|CORS_ORIGINS|DATA_DIR|DATABASE_URL|REDIS_URL|WATCH_ROOMS|DOUYIN_.*|SIMULATOR_.*|RECORD_DIR|PERSISTED_OPERATIONS)$/;

interface Started {
  /** Resolves when the process printed `GraphiQL: <url>` (it serves) or exited. */
  serving: Promise<string | null>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  pid: number;
  stop(): void;
}

/** Every child started, so none outlives a failed test. */
const children: { stop(): void }[] = [];

function startMain(env: Record<string, string>): Started {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !NOT_INHERITED.test(key)));
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...inherited, PORT: '0', SIMULATOR_PORT: '0', DATA_DIR: 'memory://', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  const serving = new Promise<string | null>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += `${line}\n`;
      const match = /^GraphiQL: (\S+)$/.exec(line);
      if (match !== null) resolve(match[1] as string);
    });
    void exited.then(() => resolve(null));
  });
  const started = { serving, exited, pid: child.pid!, stop: () => void (child.exitCode === null && child.kill('SIGTERM')) };
  children.push(started);
  return started;
}

// Each test starts a Node process that loads the whole gateway: slow on a busy two-core machine.
describe('start-up bind policy', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dlg-startup-'));
  afterAll(() => {
    for (const child of children) child.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['0.0.0.0', '::'])('refuses HOST=%s without API tokens: exit code 2 and a message saying what to do', async (host) => {
    const run = startMain({ HOST: host });
    const { code, stdout, stderr } = await run.exited;
    expect(code).toBe(2);
    expect(stderr).toContain(`refusing to listen on ${host} without API tokens`);
    expect(stderr).toContain('npm run tokens -- add <name>');
    // Nothing was started: no log line, no simulator.
    expect(stdout).toBe('');
  });

  it('refuses a corrupt API_TOKENS_FILE with exit code 2 instead of running open or crashing', async () => {
    const file = join(dir, 'corrupt.json');
    writeFileSync(file, '{ not json');
    const { code, stderr } = await startMain({ HOST: '127.0.0.1', API_TOKENS_FILE: file }).exited;
    expect(code).toBe(2);
    expect(stderr).toContain('TOKEN_FILE_INVALID');
  });

  it('refuses a CORS_ORIGINS entry that is not an origin with exit code 2', async () => {
    const { code, stderr } = await startMain({ HOST: '127.0.0.1', CORS_ORIGINS: 'https://app.example.com/path' }).exited;
    expect(code).toBe(2);
    expect(stderr).toContain('BAD_CORS_ORIGIN');
  });

  // One gateway start serves both checks: each start loads the whole gateway.
  it('runs open on loopback and says so in its log; a second gateway on its DATA_DIR exits 2 naming the holder, and an export beside it says why not and how', async () => {
    const dataDir = join(dir, 'data');
    const run = startMain({ HOST: '127.0.0.1', DATA_DIR: dataDir });
    const url = await run.serving;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    // Open means open: a query with no token is answered.
    const response = await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });

    const second = await startMain({ HOST: '127.0.0.1', DATA_DIR: dataDir }).exited;
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`the embedded store at ${dataDir} is in use by process ${run.pid}`);
    expect(second.stderr).toContain('set DATA_DIR to another directory (STORE_LOCKED)');
    expect(second.stdout).not.toContain('GraphiQL:');

    // `npm run export` beside the running gateway: refused, naming the gateway's process and how
    // to export while it runs (PostgreSQL), with no empty file left behind.
    const out = join(dir, 'beside.jsonl');
    const exported = await runExport(['--room', '7300000000000000001', '--data-dir', dataDir, '--out', out]);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain(`the embedded store at ${dataDir} is in use by process ${run.pid}`);
    expect(exported.stderr).toContain('To export while the gateway runs, keep history in PostgreSQL (DATABASE_URL');
    expect(existsSync(out)).toBe(false);

    run.stop();
    const { code, stdout } = await run.exited;
    expect(code).toBe(0);
    const notice = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .find((line) => line.msg.startsWith('no API tokens configured'));
    expect(notice).toMatchObject({ level: 40 });
    expect(notice?.msg).toContain('listens only on 127.0.0.1');
  });
});
