import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createExternalSigner,
  createScriptSigner,
  createSigner,
  loadScriptSigner,
  noSigner,
  SignerError,
  type SignerErrorCode,
} from '../../src/collectors/signer/index.ts';
import { sendJson, startTestServer, type TestServer } from './test-server.ts';

const input = { url: 'https://live.douyin.com/webcast/room/web/enter/?web_rid=1', stub: '0123456789abcdef0123456789abcdef', userAgent: 'Mozilla/5.0 Test' };

async function rejection(promise: Promise<unknown>): Promise<SignerError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignerError);
  return error as SignerError;
}

function thrown(fn: () => unknown): SignerError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SignerError);
    return error as SignerError;
  }
  throw new Error('expected a SignerError');
}

describe('noSigner', () => {
  it('returns an empty signature and no a_bogus', async () => {
    expect(await noSigner.sign(input)).toEqual({ signature: '' });
  });
});

describe('script signer', () => {
  it('calls sign(stub, userAgent, url) and reads a string or {signature, a_bogus}', async () => {
    const plain = createScriptSigner('function sign(stub) { return stub.slice(0, 16); }', { timeoutMs: 500 });
    expect(await plain.sign(input)).toEqual({ signature: input.stub.slice(0, 16) });
    const rich = createScriptSigner(
      'function sign(stub, ua, url) { return { signature: ua === navigator.userAgent ? "same-ua" : "other", a_bogus: String(url.length) }; }',
      { timeoutMs: 500 },
    );
    expect(await rich.sign(input)).toEqual({ signature: 'same-ua', aBogus: String(input.url.length) });
  });

  it('gives the script browser-like globals and nothing of node', async () => {
    const signer = createScriptSigner(
      'function sign() { return [typeof window.navigator, typeof require, typeof process, typeof setTimeout, self === window].join(","); }',
      { timeoutMs: 500 },
    );
    expect((await signer.sign(input)).signature).toBe('object,undefined,undefined,undefined,true');
  });

  it('keeps state between calls, as a loaded browser SDK would', async () => {
    const signer = createScriptSigner('var calls = 0; function sign() { calls += 1; return "n" + calls; }', { timeoutMs: 500 });
    await signer.sign(input);
    expect((await signer.sign(input)).signature).toBe('n2');
  });

  it.each<[string, string, SignerErrorCode, RegExp]>([
    ['a syntax error', 'function sign( {', 'SIGNER_BAD_SCRIPT', /does not compile/],
    ['no sign function', 'var x = 1;', 'SIGNER_BAD_SCRIPT', /defines no function sign/],
    ['an endless loop while loading', 'while (true) {}', 'SIGNER_BAD_SCRIPT', /did not finish loading within 50 ms/],
    ['a throw while loading', 'throw new Error("boom")', 'SIGNER_BAD_SCRIPT', /threw while loading: boom/],
  ])('refuses a script with %s at load time', (_what, source, code, message) => {
    const error = thrown(() => createScriptSigner(source, { timeoutMs: 50, filename: 'sign.js' }));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('sign.js');
  });

  it.each<[string, string, SignerErrorCode]>([
    ['runs forever', 'function sign() { for (;;) {} }', 'SIGNER_TIMEOUT'],
    ['throws', 'function sign() { throw new TypeError("no window.byted_acrawler"); }', 'SIGNER_FAILED'],
    ['returns a number', 'function sign() { return 42; }', 'SIGNER_BAD_RESULT'],
    ['returns a promise', 'function sign() { return Promise.resolve("late"); }', 'SIGNER_BAD_RESULT'],
  ])('turns a sign() that %s into a typed error', async (_what, source, code) => {
    const signer = createScriptSigner(source, { timeoutMs: 50 });
    expect((await rejection(signer.sign(input))).code).toBe(code);
  });

  it('keeps working after a call timed out', async () => {
    const signer = createScriptSigner('function sign(stub) { if (stub === "loop") for (;;) {} return "ok"; }', { timeoutMs: 50 });
    expect((await rejection(signer.sign({ ...input, stub: 'loop' }))).code).toBe('SIGNER_TIMEOUT');
    expect((await signer.sign(input)).signature).toBe('ok');
  });

  describe('from a file', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'signer-test-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('loads the configured script', async () => {
      const path = join(dir, 'sign.js');
      await writeFile(path, 'function sign(stub, ua) { return { signature: ua.length + "-" + stub.length }; }');
      const signer = await createSigner({ kind: 'script', path, timeoutMs: 500 });
      expect(signer.kind).toBe('script');
      expect((await signer.sign(input)).signature).toBe(`${input.userAgent.length}-${input.stub.length}`);
    });

    it('reports a missing file as a bad script', async () => {
      const error = await rejection(loadScriptSigner(join(dir, 'missing.js'), { timeoutMs: 500 }));
      expect(error.code).toBe('SIGNER_BAD_SCRIPT');
      expect(error.message).toContain('missing.js');
    });
  });
});

describe('external signing service', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(() => {
    server.requests.length = 0;
  });
  afterAll(async () => {
    await server.close();
  });

  it('POSTs {url, stub, userAgent} as JSON and reads signature and a_bogus', async () => {
    server.setHandler((req, res) => {
      const body = JSON.parse(req.body) as typeof input;
      sendJson(res, { signature: `sig-${body.stub.slice(0, 4)}`, a_bogus: `ab-${body.userAgent.length}` });
    });
    const signer = createExternalSigner({ url: `${server.origin}/sign`, timeoutMs: 1000 });
    expect(await signer.sign(input)).toEqual({ signature: 'sig-0123', aBogus: `ab-${input.userAgent.length}` });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/sign' });
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.requests[0]!.body)).toEqual(input);
  });

  it.each<[string, (res: import('node:http').ServerResponse) => void, SignerErrorCode]>([
    ['answers HTTP 500', (res) => sendJson(res, { error: 'down' }, 500), 'SIGNER_FAILED'],
    ['answers HTML', (res) => res.end('<html>oops</html>'), 'SIGNER_BAD_RESULT'],
    ['answers JSON without a signature', (res) => sendJson(res, { signature: 5 }), 'SIGNER_BAD_RESULT'],
    ['never answers', () => undefined, 'SIGNER_TIMEOUT'],
  ])('turns a service that %s into a typed error', async (_what, respond, code) => {
    server.setHandler((_req, res) => respond(res));
    const signer = createExternalSigner({ url: `${server.origin}/sign`, timeoutMs: 150 });
    expect((await rejection(signer.sign(input))).code).toBe(code);
  });

  it('reports an unreachable service as unavailable', async () => {
    const gone = await startTestServer();
    const url = `${gone.origin}/sign`;
    await gone.close();
    const error = await rejection(createExternalSigner({ url, timeoutMs: 1000 }).sign(input));
    expect(error.code).toBe('SIGNER_UNAVAILABLE');
  });
});
