// Persisted operations (PERSISTED_OPERATIONS): a client sends the SHA-256 of a document the
// gateway already holds instead of the document itself. `allow` accepts both; `only` runs
// nothing but the held documents, so no one can send the gateway a query of their own making.
// The store is a JSON object of lowercase hex sha256 → document text, checked when loaded.
// A request names its document as `documentId: "sha256:<hex>"` (GraphQL over HTTP's persisted
// documents) or `extensions.persistedQuery.sha256Hash` (what Apollo and codegen clients send).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { PersistedOperationsMode } from '../../config.ts';
import { LimitCode, limitError, type RejectionListener } from './codes.ts';

/** Where `npm start` reads the documents from: <DATA_DIR>/persisted-operations.json. */
export function persistedOperationsPath(dataDir: string): string {
  return join(dataDir, 'persisted-operations.json');
}

export type PersistedOperationsErrorCode = 'PERSISTED_OPERATIONS_UNREADABLE' | 'PERSISTED_OPERATIONS_INVALID';

export class PersistedOperationsError extends Error {
  constructor(
    readonly code: PersistedOperationsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PersistedOperationsError';
  }
}

export interface PersistedOperationStore {
  /** The document for a hash (64 hex digits, any case). */
  get(hash: string): string | undefined;
  readonly size: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A store of these documents, each under the hash of its exact text. */
export function persistedOperationsOf(documents: readonly string[]): PersistedOperationStore {
  return storeOf(new Map(documents.map((document) => [sha256Hex(document), document])));
}

/** Checks every entry: a hash that is not the document's own would run the wrong operation. */
export function parsePersistedOperations(text: string, where: string): PersistedOperationStore {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PersistedOperationsError('PERSISTED_OPERATIONS_INVALID', `${where} is not valid JSON`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new PersistedOperationsError('PERSISTED_OPERATIONS_INVALID', `${where} must be a JSON object of sha256 hash → document`);
  }
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(json)) {
    const key = hash.toLowerCase();
    if (!SHA256_HEX.test(key) || typeof document !== 'string' || sha256Hex(document) !== key) {
      throw new PersistedOperationsError(
        'PERSISTED_OPERATIONS_INVALID',
        `${where}: entry ${JSON.stringify(hash.slice(0, 70))} is not the sha256 (hex) of its document text`,
      );
    }
    documents.set(key, document);
  }
  return storeOf(documents);
}

export function loadPersistedOperations(file: string): PersistedOperationStore {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PersistedOperationsError('PERSISTED_OPERATIONS_UNREADABLE', `cannot read the persisted operations in ${file}: ${(error as Error).message}`);
  }
  return parsePersistedOperations(text, file);
}

function storeOf(documents: ReadonlyMap<string, string>): PersistedOperationStore {
  return { get: (hash) => documents.get(hash.toLowerCase()), size: documents.size };
}

/** What a request may carry: GraphQL params over HTTP, or a graphql-ws subscribe payload. */
export interface OperationRequest {
  query?: string | null | undefined;
  documentId?: unknown;
  extensions?: Readonly<Record<string, unknown>> | null | undefined;
}

/** The document to run (undefined: the request had none; let GraphQL say so), or the refusal. */
export type PersistedResolution = { ok: true; query: string | undefined } | { ok: false; error: GraphQLError };

export function requestedHash(request: OperationRequest): string | null {
  if (typeof request.documentId === 'string' && request.documentId !== '') return request.documentId.replace(/^sha256:/i, '');
  const persisted = request.extensions?.persistedQuery;
  if (typeof persisted !== 'object' || persisted === null) return null;
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  return typeof hash === 'string' && hash !== '' ? hash : null;
}

export function resolvePersistedOperation(
  request: OperationRequest,
  mode: Exclude<PersistedOperationsMode, 'off'>,
  store: PersistedOperationStore,
): PersistedResolution {
  const hash = requestedHash(request);
  const query = typeof request.query === 'string' && request.query.trim() !== '' ? request.query : undefined;
  if (hash !== null) {
    const document = store.get(hash);
    if (document === undefined) {
      return { ok: false, error: limitError(LimitCode.PERSISTED_QUERY_NOT_FOUND, 'no persisted operation has this hash') };
    }
    return { ok: true, query: document };
  }
  if (mode === 'only' && (query === undefined || store.get(sha256Hex(query)) === undefined)) {
    return {
      ok: false,
      error: limitError(LimitCode.PERSISTED_QUERY_ONLY, 'this gateway runs persisted operations only: send the operation\'s sha256 hash'),
    };
  }
  return { ok: true, query };
}

export function usePersistedOperations(options: {
  mode: Exclude<PersistedOperationsMode, 'off'>;
  store: PersistedOperationStore;
  onRejected?: RejectionListener;
}): Plugin {
  return {
    onParams({ params, setParams, setResult }) {
      const resolution = resolvePersistedOperation(params as OperationRequest, options.mode, options.store);
      if (!resolution.ok) {
        options.onRejected?.(resolution.error.extensions.code as LimitCode);
        setResult({ errors: [resolution.error] });
        // yoga's own parameter check runs after this hook and demands a query string; the
        // result set above is what the client gets either way.
        if (typeof params.query !== 'string') setParams({ ...params, query: '' });
        return;
      }
      if (resolution.query !== undefined && resolution.query !== params.query) setParams({ ...params, query: resolution.query });
    },
  };
}
