// The token file keeps only salted hashes, round-trips through disk and refuses bad content.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  generateToken,
  parseTokenFile,
  readTokenFile,
  secretMatches,
  splitToken,
  TokenFileError,
  writeTokenFile,
} from '../../src/server/auth/token-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dlg-token-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('generateToken', () => {
  it('embeds the record id and stores only a salted hash of the secret', () => {
    const { token, record } = generateToken('ci');
    const parts = splitToken(token);
    expect(parts?.id).toBe(record.id);
    expect(JSON.stringify(record)).not.toContain(parts?.secret);
    expect(secretMatches(record, parts?.secret ?? '')).toBe(true);
  });

  it('gives every token its own salt, so equal secrets would still hash differently', () => {
    const a = generateToken('a').record;
    const b = generateToken('b').record;
    expect(a.salt).not.toBe(b.salt);
    expect(a.id).not.toBe(b.id);
  });

  it('does not match a secret that differs in one character', () => {
    const { token, record } = generateToken('ci');
    const secret = splitToken(token)?.secret ?? '';
    const flipped = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
    expect(secretMatches(record, flipped)).toBe(false);
  });

  it.each(['', 'x'.repeat(65), 'two\nlines'])('refuses the name %j', (name) => {
    expect(() => generateToken(name)).toThrow(TokenFileError);
  });
});

describe('splitToken', () => {
  it.each(['', 'dlg_', 'dlg_abc_def', `dlg_${'g'.repeat(12)}_${'a'.repeat(43)}`, `xyz_${'a'.repeat(12)}_${'a'.repeat(43)}`])('rejects %j', (text) => {
    expect(splitToken(text)).toBeNull();
  });
});

describe('the file', () => {
  it('round-trips records and is written owner-only, leaving no temporary file', () => {
    const file = join(dir, 'tokens.json');
    const records = [generateToken('a').record, { ...generateToken('b').record, revokedAt: '2026-01-01T00:00:00.000Z' }];
    writeTokenFile(file, records);
    expect(readTokenFile(file)).toEqual(records);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['tokens.json']);
  });

  it('reads a missing file as no tokens', () => {
    expect(readTokenFile(join(dir, 'absent.json'))).toEqual([]);
  });

  it('treats a missing revokedAt as not revoked', () => {
    const { revokedAt: _drop, ...record } = generateToken('a').record;
    expect(parseTokenFile(JSON.stringify([record]))[0]?.revokedAt).toBeNull();
  });

  it.each([
    ['not JSON', '{'],
    ['not a list', '{"id":"x"}'],
    ['a record without a hash', JSON.stringify([{ id: 'aaaaaaaaaaaa', name: 'a', salt: 'a'.repeat(32), createdAt: 'now' }])],
  ])('refuses %s with TOKEN_FILE_INVALID', (_name, text) => {
    const file = join(dir, 'tokens.json');
    writeFileSync(file, text);
    expect(() => readTokenFile(file)).toThrow(expect.objectContaining({ code: 'TOKEN_FILE_INVALID' }));
  });

  it('refuses a file listing one id twice', () => {
    const record = generateToken('a').record;
    expect(() => parseTokenFile(JSON.stringify([record, record]))).toThrow(/twice/);
  });

  it('never puts a token secret into the file', () => {
    const file = join(dir, 'tokens.json');
    const { token, record } = generateToken('a');
    writeTokenFile(file, [record]);
    expect(readFileSync(file, 'utf8')).not.toContain(splitToken(token)?.secret);
  });
});
