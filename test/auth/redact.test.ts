// Secrets never survive redaction; ordinary text does.
import { describe, expect, it } from 'vitest';
import { generateToken } from '../../src/server/auth/token-file.ts';
import { REDACTED, redactError, redactString, redactUrl, redactValue } from '../../src/server/auth/redact.ts';

const { token } = generateToken('log test');
const secret = token.slice(-43);

describe('redactString', () => {
  it.each([
    ['an API token anywhere', `request by ${token} failed`, secret],
    ['a token query parameter', '/douyin/liveroom/info?room_id=1&token=s3cr3t-value', 's3cr3t-value'],
    ['a bearer header value', 'Authorization: Bearer abc.def.ghi', 'abc.def.ghi'],
    ['a bare bearer token', 'sent Bearer xyz123 upstream', 'xyz123'],
    ['a Cookie header line', 'Cookie: sessionid=abc; ttwid=def', 'abc'],
    ['a Douyin session cookie inline', 'upstream answered 403 for sessionid_ss=zzz999; path=/', 'zzz999'],
    ['a ttwid cookie', 'ttwid=1%7Cabcdef; other=1', '1%7Cabcdef'],
    ['an Access-Token header', 'access-token: tok-123', 'tok-123'],
    ['a JSON-ish token field', '{"token=abc"}', 'abc'],
  ])('masks %s', (_name, text, leaked) => {
    const out = redactString(text);
    expect(out).not.toContain(leaked);
    expect(out).toContain(REDACTED);
  });

  it('keeps the token id so log lines can still be told apart', () => {
    const id = token.split('_')[1] as string;
    expect(redactString(token)).toBe(`dlg_${id}_${REDACTED}`);
  });

  it('leaves ordinary text alone, including words like cookie and token in prose', () => {
    const text = 'room 7690183442860198697 needs a logged-in Douyin cookie (set DOUYIN_COOKIE); token bucket full';
    expect(redactString(text)).toBe(text);
  });

  it('redactUrl masks only the secret parameters', () => {
    expect(redactUrl('/x?room_id=123&token=abc&anchor_id=9')).toBe(`/x?room_id=123&token=${REDACTED}&anchor_id=9`);
  });

  // The server decodes names before it reads `token`, so the redactor must decode them too.
  it.each([
    ['a percent-encoded name', `/x?room_id=1&%74oken=${token}`, `/x?room_id=1&%74oken=${REDACTED}`],
    ['a fully encoded name', `/x?%74%6F%6B%65%6E=abc123`, `/x?%74%6F%6B%65%6E=${REDACTED}`],
    ['an upper-case name', '/x?TOKEN=abc123', `/x?TOKEN=${REDACTED}`],
    ['an encoded cookie name in free text', 'Set: %73essionid=abc123; path=/', `Set: %73essionid=${REDACTED}; path=/`],
    ['an encoded API token under a harmless name', `/x?q=${encodeURIComponent(token).replace('_', '%5F')}`, `/x?q=${REDACTED}`],
  ])('redactUrl masks %s', (_name, url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    expect(redactUrl(url)).not.toContain('abc123');
    expect(redactUrl(url)).not.toContain(secret);
  });

  it('redactUrl masks a URL\'s password and keeps user, host and path readable', () => {
    expect(redactUrl('postgres://gateway:dbpassw0rd@db.local:5432/live')).toBe(`postgres://gateway:${REDACTED}@db.local:5432/live`);
    expect(redactUrl('redis://:pw@cache:6379')).toBe(`redis://:${REDACTED}@cache:6379`);
    expect(redactUrl('http://proxy.local:3128/path')).toBe('http://proxy.local:3128/path');
  });

  it('leaves a harmless encoded parameter alone', () => {
    expect(redactUrl('/x?room%5Fid=12&q=a%20b')).toBe('/x?room%5Fid=12&q=a%20b');
  });
});

describe('redactValue', () => {
  it('masks secret-named keys at any depth and scrubs every string', () => {
    const input = {
      url: `/chat?token=${token}`,
      headers: { authorization: 'Bearer abc', cookie: 'sessionid=1', accept: 'application/json' },
      upstream: { douyinCookie: 'sessionid=2', retries: 3, note: `saw ${token}` },
      list: [{ token: 'plain' }, 'Cookie: a=b'],
    };
    const out = JSON.stringify(redactValue(input));
    for (const leak of [secret, 'Bearer abc', 'sessionid=1', 'sessionid=2', '"plain"', 'a=b']) expect(out).not.toContain(leak);
    expect(out).toContain('application/json');
    expect(out).toContain('"retries":3');
    expect(input.headers.cookie).toBe('sessionid=1');
  });

  it('turns errors into name, scrubbed message and code', () => {
    const error = Object.assign(new Error(`bad token ${token}`), { code: 'X' });
    expect(redactValue({ err: error })).toEqual({ err: { name: 'Error', message: `bad token dlg_${token.split('_')[1]}_${REDACTED}`, code: 'X' } });
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactValue(a)).toEqual({ name: 'a', self: '[circular]' });
  });

  it('masks keys by their decoded name', () => {
    expect(redactValue({ '%74oken': 'abc', 'Access-Token': 'def' })).toEqual({ '%74oken': REDACTED, 'Access-Token': REDACTED });
  });

  it('scrubs Headers and URL objects', () => {
    const out = redactValue({ h: new Headers({ 'Access-Token': 'abc', Accept: 'x' }), u: new URL('http://g/x?token=abc') });
    expect(JSON.stringify(out)).not.toContain('abc');
  });
});

describe('redactError', () => {
  it('keeps name, code and a stack for the log, with the secrets in message and stack masked', () => {
    const error = Object.assign(new Error(`upstream refused Cookie: sessionid=zzz999 for ${token}`), { code: 'BLOCKED' });
    const logged = redactError(error) as { name: string; code: string; message: string; stack: string };
    expect(logged).toMatchObject({ name: 'Error', code: 'BLOCKED' });
    expect(logged.stack).toContain('redact.test.ts');
    expect(JSON.stringify(logged)).not.toContain('zzz999');
    expect(JSON.stringify(logged)).not.toContain(secret);
  });

  it('scrubs what is not an Error like any other value', () => {
    expect(JSON.stringify(redactError({ token: 'abc', detail: `sent ${token}` }))).not.toContain('abc');
  });
});
