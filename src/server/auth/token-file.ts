// The API token file (API_TOKENS_FILE): a JSON array of records that hold only a salted hash
// of each token, so a leaked file grants nothing. Tokens are 256 random bits, which is why a
// salted SHA-256 is enough (a slow KDF protects guessable passwords, not random keys).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export interface TokenRecord {
  /** Public id, also embedded in the token so a lookup needs no scan. */
  id: string;
  name: string;
  /** Hex salt, unique per token. */
  salt: string;
  /** Hex SHA-256 of salt ‖ secret. */
  hash: string;
  /** ISO-8601. */
  createdAt: string;
  revokedAt: string | null;
  /** What the token may do: `read` (queries, subscriptions, vendor routes), `write` (mutations). */
  scopes: TokenScope[];
}

export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** `--scope write` grants mutations on top of reading: a token that may write may also read. */
export function scopesFor(scope: TokenScope): TokenScope[] {
  return scope === 'write' ? ['read', 'write'] : ['read'];
}

export type TokenFileErrorCode = 'TOKEN_FILE_INVALID' | 'TOKEN_FILE_UNREADABLE' | 'BAD_TOKEN_NAME' | 'UNKNOWN_TOKEN_ID' | 'BAD_SCOPE';

export class TokenFileError extends Error {
  readonly code: TokenFileErrorCode;

  constructor(code: TokenFileErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenFileError';
    this.code = code;
  }
}

const TOKEN_PREFIX = 'dlg';
const ID_PATTERN = /^[0-9a-f]{12}$/;
/** dlg_<12 hex id>_<43 base64url chars = 32 random bytes>. */
export const TOKEN_PATTERN = /^dlg_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

const recordSchema = z.object({
  id: z.string().regex(ID_PATTERN),
  name: z.string().min(1).max(64),
  salt: z.string().regex(/^[0-9a-f]{32}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string().min(1),
  revokedAt: z.string().min(1).nullable().optional(),
  scopes: z.array(z.enum(TOKEN_SCOPES)).optional(),
});
const fileSchema = z.array(recordSchema);

export function isValidTokenName(name: string): boolean {
  // Names show up in `list` output and logs: one printable line.
  return name.length >= 1 && name.length <= 64 && !/[\u0000-\u001f\u007f]/.test(name);
}

export function splitToken(token: string): { id: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  return match === null ? null : { id: match[1] as string, secret: match[2] as string };
}

function digest(salt: string, secret: string): Buffer {
  return createHash('sha256').update(Buffer.from(salt, 'hex')).update(secret, 'utf8').digest();
}

/** Constant-time comparison of the secret against the record's hash. */
export function secretMatches(record: TokenRecord, secret: string): boolean {
  const expected = Buffer.from(record.hash, 'hex');
  const actual = digest(record.salt, secret);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A new token and the record to store; the token itself is shown once and never stored. */
export function generateToken(name: string, now: Date = new Date(), scope: TokenScope = 'read'): { token: string; record: TokenRecord } {
  if (!isValidTokenName(name)) {
    throw new TokenFileError('BAD_TOKEN_NAME', 'a token name is 1 to 64 printable characters on one line');
  }
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16).toString('hex');
  const record: TokenRecord = {
    id,
    name,
    salt,
    hash: digest(salt, secret).toString('hex'),
    createdAt: now.toISOString(),
    revokedAt: null,
    scopes: scopesFor(scope),
  };
  return { token: `${TOKEN_PREFIX}_${id}_${secret}`, record };
}

export function parseTokenFile(text: string, where = 'API_TOKENS_FILE'): TokenRecord[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TokenFileError('TOKEN_FILE_INVALID', `${where} is not valid JSON`, { cause: error });
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined ? '' : issue.path.join('.');
    throw new TokenFileError('TOKEN_FILE_INVALID', `${where} is not a token list (at [${path}]: ${issue?.message ?? 'invalid'})`);
  }
  const seen = new Set<string>();
  for (const record of parsed.data) {
    if (seen.has(record.id)) throw new TokenFileError('TOKEN_FILE_INVALID', `${where} lists token id ${record.id} twice`);
    seen.add(record.id);
  }
  // Tokens made before scopes existed read only: mutations arrived with scopes, and no such
  // token was ever meant to change anything.
  return parsed.data.map((record) => ({ ...record, revokedAt: record.revokedAt ?? null, scopes: record.scopes ?? ['read'] }));
}

/** The records in the file; a file that does not exist yet holds no tokens. */
export function readTokenFile(path: string): TokenRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new TokenFileError('TOKEN_FILE_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseTokenFile(text, path);
}

/** Write-then-rename, so a server reloading the file never sees half of it. Owner-only mode. */
export function writeTokenFile(path: string, records: readonly TokenRecord[]): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
