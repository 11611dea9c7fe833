import { createPgEngine } from '../../src/store/pg-store.ts';
import { createSqlEventStore } from '../../src/store/sql-event-store.ts';
import { describeEventStore } from './event-store-suite.ts';
import { TEST_DATABASE_URL, createTestSchema, pgUnavailableReason } from './pg-harness.ts';

const unavailable = await pgUnavailableReason();

describeEventStore(
  'PostgreSQL',
  async () => {
    const schema = await createTestSchema();
    const engine = createPgEngine({ connectionString: TEST_DATABASE_URL, schema: schema.schema, maxConnections: 4 });
    const store = createSqlEventStore(engine);
    await store.migrate();
    return {
      engine,
      store,
      dispose: async () => {
        await store.close();
        await schema.drop();
      },
    };
  },
  unavailable,
);
