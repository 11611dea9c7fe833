// A real token file in a temporary directory: one good token, one revoked, one second good one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenAuthenticator, type TokenAuthenticator } from '../../../src/server/auth/authenticator.ts';
import { generateToken, writeTokenFile } from '../../../src/server/auth/token-file.ts';

export interface TokenFixture {
  file: string;
  good: string;
  other: string;
  revoked: string;
  /** A well-formed token that is not in the file. */
  unknown: string;
  auth: TokenAuthenticator;
  cleanup(): void;
}

export function tokenFixture(): TokenFixture {
  const dir = mkdtempSync(join(tmpdir(), 'dlg-tokens-'));
  const file = join(dir, 'tokens.json');
  const good = generateToken('good');
  const other = generateToken('other');
  const revoked = generateToken('revoked');
  const unknown = generateToken('unknown');
  writeTokenFile(file, [good.record, other.record, { ...revoked.record, revokedAt: new Date(0).toISOString() }]);
  return {
    file,
    good: good.token,
    other: other.token,
    revoked: revoked.token,
    unknown: unknown.token,
    auth: createTokenAuthenticator({ file }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
