// Starting a bench child process (server or client load) and calling it: the parent side of
// bench/lib/rpc.ts. Children run the TypeScript sources through tsx, on 127.0.0.1 only, and are
// killed if they do not stop when asked.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { currentFdLimits, planFds } from './fd-limit.ts';
import type { RpcRequest, RpcResponse } from './rpc.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildOptions {
  /** Extra Node flags, e.g. --expose-gc. */
  nodeFlags?: string[];
  /** Sockets the child will open or accept: its file-descriptor limit is raised to fit. */
  sockets?: number;
  /** Shown in errors. */
  name?: string;
}

export class BenchChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private exitCode: number | null | undefined = undefined;
  readonly exited: Promise<void>;
  /** Sockets this child may use, after the descriptor limit (equals the request unless capped). */
  readonly usableSockets: number;

  constructor(
    private readonly child: ChildProcess,
    readonly name: string,
    usableSockets: number,
  ) {
    this.usableSockets = usableSockets;
    child.on('message', (message: RpcResponse) => {
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      if ('error' in message) waiter.reject(new Error(`${name}: ${message.error}`));
      else waiter.resolve(message.result);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${signal ?? code})`));
        this.pending.clear();
        resolve();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  call<T>(method: string, params?: unknown, timeoutMs = 60_000): Promise<T> {
    if (this.exitCode !== undefined) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.child.send({ id, method, params } satisfies RpcRequest);
    });
  }

  notify(method: string, params?: unknown): void {
    if (this.exitCode === undefined && this.child.connected) this.child.send({ method, params } satisfies RpcRequest);
  }

  /** Asks the child to stop (its `stop` method), then kills it if it has not exited after graceMs. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    await this.call('stop', undefined, graceMs).catch(() => undefined);
    if (this.child.connected) this.child.disconnect();
    const killed = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killed);
  }
}

/** Starts `script` (a bench .ts file) as a child process with an IPC channel. */
export function startChild(script: URL, options: ChildOptions = {}): BenchChild {
  const name = options.name ?? fileURLToPath(script).slice(REPO_ROOT.length);
  const nodeArgs = ['--import', 'tsx', ...(options.nodeFlags ?? []), fileURLToPath(script)];
  const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];
  const plan = options.sockets === undefined ? null : planFds(options.sockets, currentFdLimits());
  const child =
    plan?.raiseTo == null
      ? spawn(process.execPath, nodeArgs, { cwd: REPO_ROOT, stdio })
      : // The shell raises the soft limit, then becomes node (exec keeps the IPC descriptor).
        spawn('/bin/sh', ['-c', `ulimit -n ${plan.raiseTo} && exec "$0" "$@"`, process.execPath, ...nodeArgs], { cwd: REPO_ROOT, stdio });
  return new BenchChild(child, name, plan?.usable ?? Number.MAX_SAFE_INTEGER);
}
