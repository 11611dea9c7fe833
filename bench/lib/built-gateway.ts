// dist/main.js as npm start runs it (through scripts/run-gateway.mjs, with its memory settings), in its default mode (built-in simulator, embedded
// store) on loopback ports it picks: its URL once it prints `GraphiQL: <url>`, every stdout line
// for whoever reads the log, and a stop that waits for it to exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface BuiltGateway {
  readonly child: ChildProcess;
  /** Rejects if the process exits before it listens. */
  readonly url: Promise<string>;
  stop(): Promise<void>;
}

export interface BuiltGatewayOptions {
  /** false: plain `node dist/main.js`, without the start settings of scripts/run-gateway.mjs (a baseline). */
  startSettings?: boolean;
}

export function startBuiltGateway(env: Record<string, string>, onLine: (line: string) => void = () => undefined, options: BuiltGatewayOptions = {}): BuiltGateway {
  const entry = options.startSettings === false ? 'dist/main.js' : 'scripts/run-gateway.mjs';
  const child = spawn(process.execPath, [join(root, entry)], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', SIMULATOR_PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^GraphiQL: (\S+)$/.exec(line);
      if (match) resolve(match[1] as string);
      onLine(line);
    });
    void exited.then(() => reject(new Error('the gateway exited before listening')));
  });
  url.catch(() => undefined);
  return {
    child,
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
