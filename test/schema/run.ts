// Executes operations against the built schema directly, the way the server would, minus HTTP.
import { execute, parse, subscribe, validate, type ExecutionResult } from 'graphql';
import { schema } from '../../src/schema/index.ts';
import type { SchemaContext } from '../../src/schema/context.ts';
import { until as pollUntil } from '../support/until.ts';

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

/** The shared poll, with this file's argument order and shorter default deadline kept for its many callers. */
export function until(check: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  return pollUntil(check, what, timeoutMs);
}
