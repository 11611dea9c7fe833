// Executes operations against the built schema directly, the way the server would, minus HTTP.
import { execute, parse, subscribe, validate, type ExecutionResult } from 'graphql';
import { schema } from '../../src/schema/index.ts';
import type { SchemaContext } from '../../src/schema/context.ts';

function document(source: string) {
  const doc = parse(source);
  const errors = validate(schema, doc);
  if (errors.length > 0) throw new Error(`invalid test operation: ${errors.map((e) => e.message).join('; ')}`);
  return doc;
}

export async function run(
  context: SchemaContext,
  source: string,
  variables: Record<string, unknown> = {},
): Promise<ExecutionResult> {
  return execute({ schema, document: document(source), contextValue: context, variableValues: variables });
}

export async function runSubscription(
  context: SchemaContext,
  source: string,
  variables: Record<string, unknown> = {},
): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  return subscribe({ schema, document: document(source), contextValue: context, variableValues: variables });
}

export function errorCodes(result: ExecutionResult): unknown[] {
  return (result.errors ?? []).map((error) => error.extensions.code);
}

/** Waits (without sleeping) until `check` holds, or fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
