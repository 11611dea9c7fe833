// Tokens from the file are accepted; missing, bad and revoked ones are told apart; changes to
// the file are picked up without a restart; open mode only without a file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenAuthenticator } from '../../src/server/auth/authenticator.ts';
import { addToken, revokeToken } from '../../src/server/auth/token-admin.ts';
import { generateToken, writeTokenFile } from '../../src/server/auth/token-file.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dlg-auth-'));
  file = join(dir, 'tokens.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('open mode', () => {
  it('lets every caller in, with or without a token, when no file is configured', () => {
    const auth = createTokenAuthenticator({ file: null });
    expect(auth.open).toBe(true);
    expect(auth.authenticate(null)).toEqual({ ok: true, tokenId: null, name: 'anonymous', scopes: ['read', 'write'] });
    expect(auth.authenticate('whatever').ok).toBe(true);
  });

  it('is not entered when the file is configured but holds no tokens: everyone is refused', () => {
    const auth = createTokenAuthenticator({ file });
    expect(auth.open).toBe(false);
    expect(auth.authenticate(null)).toEqual({ ok: false, code: 'MISSING_TOKEN' });
    expect(auth.authenticate(generateToken('x').token)).toEqual({ ok: false, code: 'BAD_TOKEN' });
  });
});

describe('with a token file', () => {
  it('accepts a listed token and names it', () => {
    const { token, summary } = addToken(file, 'dashboard');
    const result = createTokenAuthenticator({ file }).authenticate(` ${token} `);
    expect(result).toEqual({ ok: true, tokenId: summary.id, name: 'dashboard', scopes: ['read'] });
  });

  it.each([
    ['null', null, 'MISSING_TOKEN'],
    ['blank', '   ', 'MISSING_TOKEN'],
    ['malformed', 'Bearer abc', 'BAD_TOKEN'],
  ] as const)('refuses a %s token with %s', (_name, token, code) => {
    addToken(file, 'a');
    expect(createTokenAuthenticator({ file }).authenticate(token)).toEqual({ ok: false, code });
  });

  it('refuses a right id with a wrong secret as BAD_TOKEN', () => {
    const { token } = addToken(file, 'a');
    const forged = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(createTokenAuthenticator({ file }).authenticate(forged)).toEqual({ ok: false, code: 'BAD_TOKEN' });
  });

  it('refuses a revoked token as REVOKED_TOKEN', () => {
    const { token, summary } = addToken(file, 'a');
    revokeToken(file, summary.id);
    expect(createTokenAuthenticator({ file }).authenticate(token)).toEqual({ ok: false, code: 'REVOKED_TOKEN' });
  });

  it('fails fast on a corrupt file at start-up', () => {
    writeFileSync(file, 'not json');
    expect(() => createTokenAuthenticator({ file })).toThrow(expect.objectContaining({ code: 'TOKEN_FILE_INVALID' }));
  });
});

describe('reloading', () => {
  it('picks up added and revoked tokens without a restart', () => {
    const auth = createTokenAuthenticator({ file, reloadCheckMs: 0 });
    const { token, summary } = addToken(file, 'late');
    expect(auth.authenticate(token).ok).toBe(true);
    revokeToken(file, summary.id);
    expect(auth.authenticate(token)).toEqual({ ok: false, code: 'REVOKED_TOKEN' });
  });

  it('checks the file at most once per reloadCheckMs', () => {
    let now = 0;
    const auth = createTokenAuthenticator({ file, reloadCheckMs: 1_000, now: () => now });
    const { token } = addToken(file, 'late');
    now = 500;
    expect(auth.authenticate(token)).toEqual({ ok: false, code: 'BAD_TOKEN' });
    now = 1_000;
    expect(auth.authenticate(token).ok).toBe(true);
  });

  it('keeps the last good tokens when the file turns corrupt, and reports why', () => {
    const { token } = addToken(file, 'kept');
    const problems: Error[] = [];
    const auth = createTokenAuthenticator({ file, reloadCheckMs: 0, onReloadError: (error) => problems.push(error) });
    writeFileSync(file, '[{"id": 1}]');
    expect(auth.authenticate(token).ok).toBe(true);
    expect(problems.map((problem) => (problem as { code?: string }).code)).toEqual(['TOKEN_FILE_INVALID']);
  });

  it('drops every token when the file is deleted', () => {
    const { token } = addToken(file, 'gone');
    const auth = createTokenAuthenticator({ file, reloadCheckMs: 0 });
    rmSync(file);
    expect(auth.authenticate(token)).toEqual({ ok: false, code: 'BAD_TOKEN' });
  });

  it('sees a rewrite that keeps the same size', () => {
    const first = generateToken('a');
    const second = generateToken('a');
    writeTokenFile(file, [first.record]);
    const auth = createTokenAuthenticator({ file, reloadCheckMs: 0 });
    writeTokenFile(file, [{ ...second.record, createdAt: first.record.createdAt }]);
    expect(auth.authenticate(second.token).ok).toBe(true);
    expect(auth.authenticate(first.token).ok).toBe(false);
  });
});
