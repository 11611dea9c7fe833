import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships ESM (.mjs) and CJS (.js) builds; Node (and so Pothos, yoga) loads the CJS one,
  // Vite's resolver would pick the ESM one, and two copies break `instanceof GraphQLError`.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end suites start servers on real ports; two cores is the machine, so two forks.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // Booting the embedded PostgreSQL (PGlite, WASM) takes seconds, more on a loaded machine.
    hookTimeout: 120_000,
  },
});
