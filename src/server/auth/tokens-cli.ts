// `npm run tokens -- add <name> | list | revoke <id> [--file <path>]`: manages API_TOKENS_FILE.
// A new token is printed once; list never shows hashes or tokens. The running gateway picks up
// changes without a restart.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addToken, listTokens, revokeToken, type TokenSummary } from './token-admin.ts';
import { TOKEN_SCOPES, TokenFileError, type TokenScope } from './token-file.ts';

const USAGE = `usage:
  npm run tokens -- add <name> [--scope read|write]
                                   create a token (printed once: store it now); read (default)
                                   queries and subscribes, write may also call mutations
  npm run tokens -- list           show ids, names, creation and revocation times
  npm run tokens -- revoke <id>    revoke a token at once
options:
  --file <path>   the token file (default: $API_TOKENS_FILE)`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Runs one command; returns the process exit code (0 ok, 1 failed, 2 usage). */
export function runTokensCli(argv: readonly string[], env: Record<string, string | undefined>, io: CliIo): number {
  const { file, rest, scope, error } = parseArgs(argv, env);
  if (error !== null) {
    io.err(`${error}\n${USAGE}`);
    return 2;
  }
  const [command, argument, extra] = rest;
  try {
    switch (command) {
      case 'add':
        if (argument === undefined || extra !== undefined) return usage(io, 'add takes exactly one name (quote it if it has spaces)');
        return add(file, argument, scope, io);
      case 'list':
        if (argument !== undefined) return usage(io, 'list takes no arguments');
        return list(file, io);
      case 'revoke':
        if (argument === undefined || extra !== undefined) return usage(io, 'revoke takes exactly one token id (see list)');
        return revoke(file, argument, io);
      default:
        return usage(io, command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`);
    }
  } catch (caught) {
    if (caught instanceof TokenFileError) {
      io.err(`error (${caught.code}): ${caught.message}`);
      return 1;
    }
    throw caught;
  }
}

function add(file: string, name: string, scope: TokenScope, io: CliIo): number {
  const { token, summary } = addToken(file, name, new Date(), scope);
  io.out(`created token ${summary.id} (${summary.name}, scopes ${summary.scopes.join('+')}) in ${file}`);
  io.out('the token is shown only this once:');
  io.out(token);
  return 0;
}

function list(file: string, io: CliIo): number {
  const tokens = listTokens(file);
  if (tokens.length === 0) {
    io.out(`no tokens in ${file}`);
    return 0;
  }
  io.out(['id'.padEnd(12), 'created'.padEnd(24), 'revoked'.padEnd(24), 'name'].join('  '));
  for (const token of tokens) io.out(row(token));
  return 0;
}

function row(token: TokenSummary): string {
  return [token.id.padEnd(12), token.createdAt.padEnd(24), (token.revokedAt ?? '-').padEnd(24), token.name].join('  ');
}

function revoke(file: string, id: string, io: CliIo): number {
  const { summary, alreadyRevoked } = revokeToken(file, id);
  io.out(alreadyRevoked ? `token ${id} was already revoked at ${summary.revokedAt}` : `revoked token ${id} (${summary.name})`);
  return 0;
}

function usage(io: CliIo, problem: string): number {
  io.err(`${problem}\n${USAGE}`);
  return 2;
}

function parseArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): { file: string; rest: string[]; scope: TokenScope; error: string | null } {
  let file = env.API_TOKENS_FILE?.trim() || null;
  let scope: TokenScope = 'read';
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--scope' || arg.startsWith('--scope=')) {
      const value = arg === '--scope' ? argv[(i += 1)] : arg.slice('--scope='.length);
      if (!(TOKEN_SCOPES as readonly string[]).includes(value ?? '')) return { file: '', rest, scope, error: '--scope must be read or write' };
      scope = value as TokenScope;
    } else if (arg === '--file') {
      const value = argv[i + 1];
      if (value === undefined || value === '') return { file: '', rest, scope, error: '--file needs a path' };
      file = value;
      i += 1;
    } else if (arg.startsWith('--file=')) {
      file = arg.slice('--file='.length) || null;
    } else {
      rest.push(arg);
    }
  }
  if (file === null) return { file: '', rest, scope, error: 'no token file: set API_TOKENS_FILE or pass --file <path>' };
  return { file, rest, scope, error: null };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  process.exitCode = runTokensCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
