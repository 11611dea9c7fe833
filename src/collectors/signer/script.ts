// A user-supplied signing script (e.g. the operator's own copy of Douyin's browser SDK with a
// small wrapper) run in a node:vm context with a time limit. The script defines a global
// function `sign(stub, userAgent, url)` that returns the signature string, or an object
// {signature, a_bogus}. It must answer synchronously: the time limit can only stop
// synchronous code. node:vm isolates globals, it is not a security boundary — the script is
// the operator's, trusted like the rest of the configuration.
import { readFile } from 'node:fs/promises';
import vm from 'node:vm';
import { SignerError, toSignResult, type SignInput, type Signer } from './signer.ts';

export interface ScriptSignerOptions {
  timeoutMs: number;
  /** Shown in stack traces and errors. */
  filename?: string;
}

const CALL = new vm.Script('sign(__signInput.stub, __signInput.userAgent, __signInput.url)', { filename: 'signer-call' });

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function isTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/** What a browser script commonly expects to find; no require, process or timers. */
function browserLikeGlobals(): Record<string, unknown> {
  const location = { href: 'https://live.douyin.com/', origin: 'https://live.douyin.com', protocol: 'https:', host: 'live.douyin.com', hostname: 'live.douyin.com', pathname: '/' };
  const navigator = { userAgent: '', language: 'zh-CN', languages: ['zh-CN', 'zh'], platform: 'Win32', cookieEnabled: true };
  const silent = () => undefined;
  return { navigator, location, document: { cookie: '', referrer: '', location }, console: { log: silent, warn: silent, error: silent, info: silent, debug: silent } };
}

function compile(source: string, filename: string): vm.Script {
  try {
    return new vm.Script(source, { filename });
  } catch (error) {
    throw new SignerError('SIGNER_BAD_SCRIPT', `signing script ${filename} does not compile: ${messageOf(error)}`, error);
  }
}

function loadInto(script: vm.Script, context: vm.Context, filename: string, timeoutMs: number): void {
  try {
    script.runInContext(context, { timeout: timeoutMs });
  } catch (error) {
    const why = isTimeout(error) ? `did not finish loading within ${timeoutMs} ms` : `threw while loading: ${messageOf(error)}`;
    throw new SignerError('SIGNER_BAD_SCRIPT', `signing script ${filename} ${why}`, error);
  }
  if (typeof context.sign !== 'function') {
    throw new SignerError('SIGNER_BAD_SCRIPT', `signing script ${filename} defines no function sign(stub, userAgent, url)`);
  }
}

/** Compiles and loads the script now, so a broken script fails at start-up, not on first use. */
export function createScriptSigner(source: string, options: ScriptSignerOptions): Signer {
  const filename = options.filename ?? 'signing script';
  const globals = browserLikeGlobals();
  const context = vm.createContext(globals, { name: filename, microtaskMode: 'afterEvaluate', codeGeneration: { strings: true, wasm: false } });
  vm.runInContext('var window = globalThis, self = globalThis;', context);
  loadInto(compile(source, filename), context, filename, options.timeoutMs);
  return {
    kind: 'script',
    async sign(input: SignInput) {
      (globals.navigator as { userAgent: string }).userAgent = input.userAgent;
      context.__signInput = { stub: input.stub, userAgent: input.userAgent, url: input.url };
      let result: unknown;
      try {
        result = CALL.runInContext(context, { timeout: options.timeoutMs });
      } catch (error) {
        if (isTimeout(error)) throw new SignerError('SIGNER_TIMEOUT', `${filename}: sign() ran longer than ${options.timeoutMs} ms`, error);
        throw new SignerError('SIGNER_FAILED', `${filename}: sign() threw: ${messageOf(error)}`, error);
      }
      if (typeof (result as { then?: unknown } | null)?.then === 'function') {
        throw new SignerError('SIGNER_BAD_RESULT', `${filename}: sign() returned a promise; it must return the signature synchronously`);
      }
      return toSignResult(result, `${filename}: sign()`);
    },
  };
}

export async function loadScriptSigner(path: string, options: Omit<ScriptSignerOptions, 'filename'>): Promise<Signer> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    throw new SignerError('SIGNER_BAD_SCRIPT', `signing script ${path} cannot be read: ${messageOf(error)}`, error);
  }
  return createScriptSigner(source, { ...options, filename: path });
}
