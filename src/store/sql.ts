// The tiny executor both engines adapt to, so every query in queries.ts is written once.

export interface Sql {
  /** One parameterized statement; rows come back as plain objects keyed by column name. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlEngine extends Sql {
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A jsonb parameter holding a JSON array of documents that are already JSON text (event bodies,
 * profiles). Each engine passes it without re-escaping them: as a text[] literal, node-postgres
 * escaped every quote of every document, about a sixth of the ingest path's CPU.
 */
export class JsonDocuments {
  constructor(readonly documents: readonly string[]) {}

  /** The array as JSON text. */
  text(): string {
    return `[${this.documents.join(',')}]`;
  }

  /** The array in jsonb's binary input format: a version byte (1), then the JSON text, encoded once. */
  jsonbBinary(): Buffer {
    let length = 3 + Math.max(0, this.documents.length - 1);
    for (const document of this.documents) length += Buffer.byteLength(document);
    const bytes = Buffer.allocUnsafe(length);
    bytes[0] = JSONB_BINARY_VERSION;
    let at = 1;
    bytes[at++] = OPEN_BRACKET;
    this.documents.forEach((document, i) => {
      if (i > 0) bytes[at++] = COMMA;
      at += bytes.write(document, at);
    });
    bytes[at++] = CLOSE_BRACKET;
    return bytes.subarray(0, at);
  }
}

const JSONB_BINARY_VERSION = 1;
const OPEN_BRACKET = 0x5b;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

/** Both drivers hand back int8 and numeric as string, bigint or number: counts all fit in a double. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') return Number(value);
  return 0;
}

export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}
