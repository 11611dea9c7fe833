// initdb is most of a new PGlite store's start: seconds when idle, tens of seconds on a loaded
// machine. So a freshly initialised cluster is dumped once (at build time, or before the tests) and
// every new store, in memory or in a new data directory, starts by unpacking it instead.
import { readFile, rename, writeFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const require = createRequire(import.meta.url);
// dist/index.cjs inside the package: its package.json is one folder up, the node_modules two more.
const packageDir = dirname(dirname(require.resolve('@electric-sql/pglite')));
const version = (JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;

/** Where the template lives: beside the installed PGlite, keyed by its version, gone on reinstall. */
export const PGLITE_TEMPLATE_PATH = join(packageDir, '..', '..', '.cache', 'douyin-live-graphql', `pglite-${version}.tar`);

/**
 * Held weakly: a process that opens many stores (the tests) reads the file once while a copy
 * is alive, and the gateway, which opens one, does not keep 40 MB of it for the rest of its life.
 */
let cached: WeakRef<Blob> | undefined;
let reading: Promise<Blob | undefined> | undefined;

/** The template, read again only when no earlier copy is still alive; undefined when it was never written. */
export async function readPgliteTemplate(path = PGLITE_TEMPLATE_PATH): Promise<Blob | undefined> {
  if (path !== PGLITE_TEMPLATE_PATH) return readTemplate(path);
  const alive = cached?.deref();
  if (alive !== undefined) return alive;
  // Callers at the same moment share one read.
  reading ??= readTemplate(path)
    .then((template) => {
      cached = template === undefined ? undefined : new WeakRef(template);
      return template;
    })
    .finally(() => (reading = undefined));
  return reading;
}

async function readTemplate(path: string): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(path)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes the template unless it exists. Written under a temporary name and renamed, so a reader
 * (another test worker, a gateway starting) sees the whole file or none.
 */
export async function ensurePgliteTemplate(path = PGLITE_TEMPLATE_PATH): Promise<{ path: string; written: boolean }> {
  if ((await readTemplate(path)) !== undefined) return { path, written: false };
  const db = await PGlite.create();
  try {
    await db.exec('CHECKPOINT');
    const dump = await db.dumpDataDir('none');
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, path).catch(async (error: unknown) => {
      await rm(partial, { force: true });
      throw error;
    });
  } finally {
    await db.close();
  }
  cached = undefined;
  reading = undefined;
  return { path, written: true };
}
