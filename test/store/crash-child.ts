// Child process of the crash test: writes the crash sequence through an IngestWriter and prints
// `STORED <id> <cursor>` for each event as its batch commits. The parent SIGKILLs it mid-way.
// Usage: crash-child.ts --room <id> --count <n> (--data-dir <dir> | --database-url <url> --schema <name>)
import { parseArgs } from 'node:util';
import { IngestWriter } from '../../src/store/ingest-writer.ts';
import { openPgStore } from '../../src/store/pg-store.ts';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import { crashEvent } from './crash-sequence.ts';

const { values } = parseArgs({
  options: { room: { type: 'string' }, count: { type: 'string' }, 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, schema: { type: 'string' } },
});
const roomId = values.room ?? '';
const count = Number(values.count);
const store = values['database-url']
  ? openPgStore({ connectionString: values['database-url'], ...(values.schema ? { schema: values.schema } : {}) })
  : await openPgliteStore({ dataDir: values['data-dir'] ?? '' });
await store.migrate();

const writer = new IngestWriter({ store, maxBatch: 50, flushIntervalMs: 5, maxPending: 200 });
// stdout to a pipe is written synchronously on Linux, so a printed line is never lost to the kill.
process.stdout.write('READY\n');
for (let i = 0; i < count; i += 1) {
  await writer.waitForCapacity();
  writer.enqueue(crashEvent(roomId, i)).then(
    (ref) => process.stdout.write(`STORED ${ref.id} ${ref.cursor}\n`),
    (error: unknown) => process.stdout.write(`FAILED ${String(error)}\n`),
  );
}
await writer.close();
await store.close();
process.stdout.write('DONE\n');
