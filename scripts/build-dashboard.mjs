// Bundles the dashboard's browser code (src/server/dashboard/page) with its one library, the
// graphql-ws client, into dist/dashboard/dashboard.js: no CDN, works offline. `npm run build`
// runs it; tests call buildDashboard() with their own folder.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildDashboard(outDir = join(root, 'dist', 'dashboard')) {
  const outfile = join(outDir, 'dashboard.js');
  await build({
    entryPoints: [join(root, 'src', 'server', 'dashboard', 'page', 'main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    outfile,
    logLevel: 'warning',
  });
  return { file: outfile, bytes: statSync(outfile).size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { file, bytes } = await buildDashboard();
  console.log(`dashboard bundle: ${file} (${(bytes / 1024).toFixed(1)} KiB)`);
}
