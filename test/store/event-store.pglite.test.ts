import { createSqlEventStore } from '../../src/store/sql-event-store.ts';
import { IN_MEMORY, createPgliteEngine } from '../../src/store/pglite-store.ts';
import { describeEventStore } from './event-store-suite.ts';

describeEventStore('PGlite (in memory)', async () => {
  const engine = await createPgliteEngine({ dataDir: IN_MEMORY });
  const store = createSqlEventStore(engine);
  await store.migrate();
  return { engine, store, dispose: () => store.close() };
});
