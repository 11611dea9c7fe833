// A gateway over the simulator with an upstream pool of the given cookies (DOUYIN_COOKIES), and
// its upstreamPool query.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { postGraphQL } from '../fixtures/graphql-http.ts';
import { startStack, type Stack, type StackOptions } from '../stack.ts';

export interface PoolStack {
  stack: Stack;
  /** The upstreamPool field of `query`, asserting it answered without errors. */
  pool<T>(query: string): Promise<T>;
  close(): Promise<void>;
}

/** `env` adds to (or overrides) the pool's settings; `sim` configures the stack's simulator. */
export async function startPoolStack(cookies: readonly string[], options: { env?: Record<string, string>; sim?: StackOptions['sim'] } = {}): Promise<PoolStack> {
  const dir = mkdtempSync(join(tmpdir(), 'pool-stack-'));
  const cookiesFile = join(dir, 'cookies.txt');
  writeFileSync(cookiesFile, `# one logged-in visitor a line\n${cookies.join('\n')}\n`);
  const stack = await startStack({
    env: { DOUYIN_COOKIES: cookiesFile, DOUYIN_POOL_QUARANTINE_MS: '600000', ...options.env },
    ...(options.sim === undefined ? {} : { sim: options.sim }),
  });
  return {
    stack,
    async pool<T>(query: string): Promise<T> {
      const answer = await postGraphQL<{ upstreamPool: T }>(stack.url, query);
      expect(answer.errors).toEqual([]);
      return answer.data!.upstreamPool;
    },
    async close() {
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A pool stack around a file's tests: started before them, closed after. Its `stack` is there
 * once they run.
 */
export function usePoolStack(cookies: readonly string[], options: Parameters<typeof startPoolStack>[1] = {}): Omit<PoolStack, 'close'> {
  let running: PoolStack | undefined;
  beforeAll(async () => {
    running = await startPoolStack(cookies, options);
  });
  afterAll(() => running?.close());
  const started = (): PoolStack => {
    if (running === undefined) throw new Error('the pool stack starts before the tests');
    return running;
  };
  return {
    get stack() {
      return started().stack;
    },
    pool: <T>(query: string) => started().pool<T>(query),
  };
}
