// The operations behind `npm run tokens`: add, list and revoke, on the token file.
import { generateToken, readTokenFile, TokenFileError, writeTokenFile, type TokenRecord, type TokenScope } from './token-file.ts';

/** What `list` may show: never the hash or the salt. */
export interface TokenSummary {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  scopes: TokenScope[];
}

export function addToken(file: string, name: string, now: Date = new Date(), scope: TokenScope = 'read'): { token: string; summary: TokenSummary } {
  const records = readTokenFile(file);
  const { token, record } = generateToken(name, now, scope);
  writeTokenFile(file, [...records, record]);
  return { token, summary: summarize(record) };
}

export function listTokens(file: string): TokenSummary[] {
  return readTokenFile(file).map(summarize);
}

/** Marks the token revoked; revoking twice keeps the first time. */
export function revokeToken(file: string, id: string, now: Date = new Date()): { summary: TokenSummary; alreadyRevoked: boolean } {
  const records = readTokenFile(file);
  const target = records.find((record) => record.id === id);
  if (target === undefined) throw new TokenFileError('UNKNOWN_TOKEN_ID', `no token with id ${JSON.stringify(id)} in ${file}`);
  if (target.revokedAt !== null) return { summary: summarize(target), alreadyRevoked: true };
  const revoked: TokenRecord = { ...target, revokedAt: now.toISOString() };
  writeTokenFile(
    file,
    records.map((record) => (record.id === id ? revoked : record)),
  );
  return { summary: summarize(revoked), alreadyRevoked: false };
}

function summarize(record: TokenRecord): TokenSummary {
  return { id: record.id, name: record.name, createdAt: record.createdAt, revokedAt: record.revokedAt, scopes: record.scopes };
}
