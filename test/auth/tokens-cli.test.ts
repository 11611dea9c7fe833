// `npm run tokens` as operators run it: a child process that adds, lists and revokes tokens in
// API_TOKENS_FILE, and an authenticator that sees each change.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenAuthenticator } from '../../src/server/auth/authenticator.ts';
import { TOKEN_PATTERN } from '../../src/server/auth/token-file.ts';
import { runTokensCli } from '../../src/server/auth/tokens-cli.ts';

const CLI = fileURLToPath(new URL('../../src/server/auth/tokens-cli.ts', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('API_TOKENS_FILE' in env)) delete childEnv.API_TOKENS_FILE;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { env: childEnv }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('tokens CLI', () => {
  let dir: string;
  let file: string;
  let token: string;
  let id: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dlg-cli-'));
    file = join(dir, 'tokens.json');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('add prints a new token once, and the file holds only its hash', async () => {
    const run = await runCli(['add', 'ci bot'], { API_TOKENS_FILE: file });
    expect(run.code).toBe(0);
    const printed = run.stdout.split('\n').find((line) => TOKEN_PATTERN.test(line));
    expect(printed).toBeDefined();
    token = printed as string;
    id = TOKEN_PATTERN.exec(token)?.[1] as string;
    expect(readFileSync(file, 'utf8')).not.toContain(token.slice(-43));
    expect(createTokenAuthenticator({ file }).authenticate(token)).toEqual({ ok: true, tokenId: id, name: 'ci bot', scopes: ['read'] });
  });

  it('add --scope write makes a token that may also write; a bad scope is a usage error', async () => {
    const run = await runCli(['add', 'ops', '--scope', 'write'], { API_TOKENS_FILE: file });
    expect(run.code).toBe(0);
    const printed = run.stdout.split('\n').find((line) => TOKEN_PATTERN.test(line)) as string;
    expect(createTokenAuthenticator({ file }).authenticate(printed)).toMatchObject({ ok: true, name: 'ops', scopes: ['read', 'write'] });
    expect((await runCli(['add', 'x', '--scope', 'admin'], { API_TOKENS_FILE: file })).code).toBe(2);
  });

  it('list shows id, name and creation, never the token or its hash', async () => {
    const run = await runCli(['list', '--file', file]);
    expect(run.code).toBe(0);
    const row = run.stdout.split('\n').find((line) => line.startsWith(id));
    expect(row).toMatch(/ci bot$/);
    expect(row).toMatch(/\d{4}-\d{2}-\d{2}T/);
    const record = JSON.parse(readFileSync(file, 'utf8'))[0] as { hash: string; salt: string };
    expect(run.stdout).not.toContain(record.hash);
    expect(run.stdout).not.toContain(record.salt);
    expect(run.stdout).not.toContain(token.slice(-43));
  });

  it('revoke makes a running authenticator refuse the token with REVOKED_TOKEN', async () => {
    const auth = createTokenAuthenticator({ file, reloadCheckMs: 0 });
    expect(auth.authenticate(token).ok).toBe(true);
    const run = await runCli([`--file=${file}`, 'revoke', id]);
    expect(run.code).toBe(0);
    expect(auth.authenticate(token)).toEqual({ ok: false, code: 'REVOKED_TOKEN' });
  });

});

// The same entry point in-process: every refusal, without paying for a process start each.
describe('tokens CLI refusals', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dlg-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(args: string[], env: Record<string, string | undefined> = {}): Run {
    const out: string[] = [];
    const err: string[] = [];
    const code = runTokensCli(args, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }

  it('revoking an unknown id fails with exit code 1 and changes nothing', () => {
    const file = join(dir, 'tokens.json');
    expect(run(['add', 'a', '--file', file]).code).toBe(0);
    const before = readFileSync(file, 'utf8');
    const result = run(['revoke', 'ffffffffffff'], { API_TOKENS_FILE: file });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('UNKNOWN_TOKEN_ID');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('revoking twice keeps the first revocation time', () => {
    const file = join(dir, 'twice.json');
    run(['add', 'a', '--file', file]);
    const id = (JSON.parse(readFileSync(file, 'utf8')) as { id: string }[])[0]?.id as string;
    expect(run(['revoke', id, '--file', file]).code).toBe(0);
    const first = readFileSync(file, 'utf8');
    const again = run(['revoke', id, '--file', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already revoked');
    expect(readFileSync(file, 'utf8')).toBe(first);
  });

  it.each([
    ['no command', [] as string[], 'no command'],
    ['an unknown command', ['rotate'], 'unknown command'],
    ['add without a name', ['add'], 'exactly one name'],
    ['add with two names', ['add', 'a', 'b'], 'exactly one name'],
    ['list with an argument', ['list', 'x'], 'no arguments'],
    ['--file without a path', ['list', '--file'], '--file needs a path'],
  ])('%s is a usage error (exit 2)', (_name, args, message) => {
    const result = run(args.includes('--file') ? args : [...args, '--file', join(dir, 'other.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('usage:');
  });

  it('refuses to run without a token file', () => {
    const result = run(['list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('API_TOKENS_FILE');
  });

  it('refuses a bad name with exit code 1', () => {
    const result = run(['add', 'two\nlines', '--file', join(dir, 'names.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('BAD_TOKEN_NAME');
  });
});
