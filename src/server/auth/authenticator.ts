// Checks API tokens against the token file, picking up `npm run tokens` changes without a
// restart. Open mode (no API_TOKENS_FILE) accepts every caller; it is only allowed on loopback
// (see bind-policy.ts). A configured file with no tokens in it refuses everyone: revoking the
// last token must never open the API.
import { statSync } from 'node:fs';
import { readTokenFile, secretMatches, splitToken, type TokenRecord, type TokenScope } from './token-file.ts';

export type AuthFailureCode = 'MISSING_TOKEN' | 'BAD_TOKEN' | 'REVOKED_TOKEN';

export type AuthResult =
  | { ok: true; /** null in open mode. */ tokenId: string | null; name: string; scopes: readonly TokenScope[] }
  | { ok: false; code: AuthFailureCode };

export interface TokenAuthenticator {
  /** True when no token file is configured and every caller is let in. */
  readonly open: boolean;
  authenticate(token: string | null | undefined): AuthResult;
  /**
   * False once the token with this id is revoked or gone from the file. Re-reads a changed file
   * at once (not at most once a second like authenticate), so open sessions end promptly.
   */
  isActive(tokenId: string): boolean;
}

export const AUTH_FAILURE_MESSAGES: Record<AuthFailureCode, string> = {
  MISSING_TOKEN: 'an API token is required',
  BAD_TOKEN: 'the API token is not valid',
  REVOKED_TOKEN: 'the API token has been revoked',
};

export interface FileAuthenticatorOptions {
  file: string;
  /** How often (ms) the file's mtime is checked at most; 0 checks on every call. */
  reloadCheckMs?: number;
  now?: () => number;
  /** A reload that failed (the previous tokens stay in force). */
  onReloadError?: (error: Error) => void;
}

/** Open mode is loopback only (bind-policy.ts): whoever can reach it may read and write. */
const OPEN_RESULT: AuthResult = { ok: true, tokenId: null, name: 'anonymous', scopes: ['read', 'write'] };

export function createOpenAuthenticator(): TokenAuthenticator {
  return { open: true, authenticate: () => OPEN_RESULT, isActive: () => true };
}

/** Open when `file` is null; otherwise tokens from the file. Throws TokenFileError on a corrupt file at start-up. */
export function createTokenAuthenticator(options: Omit<FileAuthenticatorOptions, 'file'> & { file: string | null }): TokenAuthenticator {
  return options.file === null ? createOpenAuthenticator() : new FileTokenAuthenticator({ ...options, file: options.file });
}

interface FileStamp {
  mtimeMs: number;
  size: number;
  ino: number;
}

export class FileTokenAuthenticator implements TokenAuthenticator {
  readonly open = false;
  private tokens = new Map<string, TokenRecord>();
  private stamp: FileStamp | null = null;
  private lastCheck = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly options: FileAuthenticatorOptions) {
    this.now = options.now ?? Date.now;
    this.load(statOf(options.file));
    this.lastCheck = this.now();
  }

  authenticate(token: string | null | undefined): AuthResult {
    if (token === null || token === undefined || token.trim() === '') return { ok: false, code: 'MISSING_TOKEN' };
    this.reloadIfChanged();
    const parts = splitToken(token.trim());
    const record = parts === null ? undefined : this.tokens.get(parts.id);
    if (parts === null || record === undefined || !secretMatches(record, parts.secret)) return { ok: false, code: 'BAD_TOKEN' };
    if (record.revokedAt !== null) return { ok: false, code: 'REVOKED_TOKEN' };
    return { ok: true, tokenId: record.id, name: record.name, scopes: record.scopes };
  }

  isActive(tokenId: string): boolean {
    this.reloadIfChanged(0);
    const record = this.tokens.get(tokenId);
    return record !== undefined && record.revokedAt === null;
  }

  private reloadIfChanged(minimumIntervalMs = this.options.reloadCheckMs ?? 1_000): void {
    const now = this.now();
    if (now - this.lastCheck < minimumIntervalMs) return;
    this.lastCheck = now;
    try {
      const stamp = statOf(this.options.file);
      if (sameStamp(stamp, this.stamp)) return;
      this.load(stamp);
    } catch (error) {
      this.options.onReloadError?.(error as Error);
    }
  }

  private load(stamp: FileStamp | null): void {
    const records = readTokenFile(this.options.file);
    this.tokens = new Map(records.map((record) => [record.id, record]));
    this.stamp = stamp;
  }
}

function statOf(file: string): FileStamp | null {
  try {
    const stats = statSync(file);
    return { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  if (a === null || b === null) return a === b;
  return a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;
}
