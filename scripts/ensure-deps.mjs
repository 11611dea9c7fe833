// `npm start` on a fresh clone: install from the lockfile and compile to dist/ when either is
// missing or out of date, so a newcomer types one command and later starts skip both.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (path) => join(root, path);

const required = JSON.parse(readFileSync(at('package.json'), 'utf8')).engines.node;
const major = Number(process.versions.node.split('.')[0]);
if (major < Number(required.replace(/[^0-9.]/g, '').split('.')[0])) {
  console.warn(`Node ${process.versions.node} is older than the supported ${required} (package.json engines): install Node 24 LTS.`);
}

/** Newest modification time of the files under a folder, recursively. */
function newestMtime(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const installed = at('node_modules/.package-lock.json');
if (!existsSync(installed) || statSync(at('package-lock.json')).mtimeMs > statSync(installed).mtimeMs) {
  console.log('Installing dependencies from package-lock.json…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit', cwd: root });
}

// tsc leaves its build info untouched when nothing changed, so the stamp is ours.
const buildStamp = at('dist/.built');
const sourcesChanged = () =>
  Math.max(newestMtime(at('src')), statSync(at('tsconfig.build.json')).mtimeMs, statSync(at('tsconfig.json')).mtimeMs) >
  statSync(buildStamp).mtimeMs;
if (!existsSync(buildStamp) || !existsSync(at('dist/main.js')) || !existsSync(at('dist/dashboard/dashboard.js')) || sourcesChanged()) {
  console.log('Compiling the gateway to dist/…');
  execSync('npm run --silent build', { stdio: 'inherit', cwd: root });
  writeFileSync(buildStamp, `${new Date().toISOString()}\n`);
}

// A new store unpacks a dumped initdb instead of running it (src/store/pglite-template.ts): written
// here once per install, so the first start on a new DATA_DIR is as quick as a restart.
const { PGLITE_TEMPLATE_PATH, ensurePgliteTemplate } = await import('../dist/store/pglite-template.js');
if (!existsSync(PGLITE_TEMPLATE_PATH)) {
  console.log('Preparing the embedded store template…');
  await ensurePgliteTemplate();
}
