// `npm start`'s last step: dist/main.js in this process's place (execve: the same PID, so signals
// and exit codes are the gateway's), with two memory settings a process can only be given at
// its start. bench/idle-rss.ts measures both ("Idle memory" in bench/README.md):
//  - MALLOC_MMAP_THRESHOLD_: V8's optimising compiler takes about 600 MB in large blocks while
//    it compiles PGlite's biggest WASM functions, once, soon after start. Freeing them makes
//    glibc raise its mmap threshold to 32 MiB, so the blocks that follow come from its arenas,
//    which keep about 100 MB of the peak for good. Fixing the threshold at glibc's own starting
//    value (128 KiB) keeps large blocks in their own mappings, returned to the system when freed.
//  - --max-semi-space-size: V8 grows the young generation up to 64 MiB per semi-space under
//    start-up's allocation and does not give it back when idle. 8 MiB costs a few per cent of
//    the writer's rate on the embedded store (bench/README.md).
// A value the caller already gave (environment, NODE_OPTIONS, command line) wins over these.
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const START_FLAGS = ['--max-semi-space-size=8'];
export const START_ENV = { MALLOC_MMAP_THRESHOLD_: String(128 * 1024) };

/** The node arguments and environment dist/main.js runs with. Later flags win, so the caller's come after ours. */
export function gatewayCommand(argv = process.argv.slice(2), execArgv = process.execArgv, env = process.env) {
  // Command-line flags would override NODE_OPTIONS, so a flag the caller put there is left alone.
  const flags = START_FLAGS.filter((flag) => !(env.NODE_OPTIONS ?? '').includes(flag.split('=')[0]));
  return { args: [...flags, ...execArgv, MAIN, ...argv], env: { ...START_ENV, ...env } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { args, env } = gatewayCommand();
  if (typeof process.execve === 'function') process.execve(process.execPath, [process.execPath, ...args], env);
  // No execve (Windows): the gateway runs here, without the two settings.
  await import(MAIN);
}
