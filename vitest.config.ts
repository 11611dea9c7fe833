import { defineConfig } from 'vitest/config';

// Files that open stores or whole gateways keep a process of their own: each holds PGlite's WASM
// memory and real sockets. The rest share one module graph per worker (isolate: false), which
// spares re-importing the app for every file: most of their time was imports. Each of them
// restores what it changes (fake timers are put back in afterEach).
const isolated = ['test/e2e/**/*.test.ts', 'test/store/**/*.test.ts'];

export default defineConfig({
  // graphql ships ESM (.mjs) and CJS (.js) builds; Node (and so Pothos, yoga) loads the CJS one,
  // Vite's resolver would pick the ESM one, and two copies break `instanceof GraphQLError`.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    // A new store unpacks the initdb template written here once (src/store/pglite-template.ts).
    globalSetup: ['test/support/global-setup.ts'],
    // End-to-end suites start servers on real ports; two cores is the machine, so two forks.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // Booting the embedded PostgreSQL (PGlite, WASM) takes seconds, more on a loaded machine.
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: isolated, isolate: false } },
      { extends: true, test: { name: 'isolated', include: isolated } },
    ],
  },
});
