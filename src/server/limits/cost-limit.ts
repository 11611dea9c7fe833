// Query cost limit (MAX_QUERY_COST), graphql-armor's rule with our code: every field costs,
// objects more than scalars, nesting multiplies, and a list asked for with `first: n` costs n
// times its items. Armor reads `first` only from literals, so `liveFeed(first: $n)` would pass
// as one item: before executing, the document is costed again with its page-size variables
// written in, and refused there if it is too costly after all.
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { Kind, validate, visit, type ArgumentNode, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LimitCode, limitCodeOf, type RejectionListener } from './codes.ts';
import { codedArmorRule, useValidationLimit } from './validation-limit.ts';

const PAGE_SIZE_ARGUMENTS = new Set(['first', 'last']);

export interface CostLimitOptions {
  maxCost: number;
  onRejected?: RejectionListener;
}

interface OperationArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  variableValues?: { readonly [name: string]: unknown } | null | undefined;
}

export function useCostLimit(options: CostLimitOptions): Plugin {
  const limit = {
    rule: costLimitRule,
    // Tuned so that the cost reads as the size of the answer: an object 2, a scalar 1, a list
    // n times its item. Armor's default compounds ×1.5 per level, which priced the README's own
    // nested feed query (20 rooms with their top 10, 21 upstream calls) at ~9,800 and refused it.
    // Fragments are flattened, so a type condition adds no nesting.
    options: { maxCost: options.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1, flattenFragments: true, ignoreIntrospection: true },
    code: LimitCode.QUERY_TOO_COSTLY,
    limit: options.maxCost,
  };
  const rule = codedArmorRule(limit);
  const refusalWithVariables = (args: OperationArgs): GraphQLError | null => {
    const inlined = inlinePageSizes(args.document, args.variableValues ?? null);
    if (inlined === null) return null;
    return validate(args.schema, inlined, [rule]).find((error) => limitCodeOf(error) === LimitCode.QUERY_TOO_COSTLY) ?? null;
  };
  const refuse = (error: GraphQLError, stop: (result: { errors: GraphQLError[] }) => void) => {
    options.onRejected?.(LimitCode.QUERY_TOO_COSTLY);
    stop({ errors: [error] });
  };
  return {
    ...useValidationLimit({ ...limit, onRejected: options.onRejected }),
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = refusalWithVariables(args);
      if (refusal !== null) refuse(refusal, setResultAndStopExecution);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = refusalWithVariables(args);
      if (refusal !== null) refuse(refusal, setResultAndStopExecution);
    },
  };
}

/**
 * The document with every `first:`/`last:` that names a variable replaced by the variable's
 * integer value (or its declared default); null when there is no such argument.
 */
export function inlinePageSizes(document: DocumentNode, variables: { readonly [name: string]: unknown } | null): DocumentNode | null {
  const values = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const fallback = variable.defaultValue;
      if (fallback?.kind === Kind.INT) values.set(variable.variable.name.value, Number(fallback.value));
    }
  }
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (typeof value === 'number' && Number.isSafeInteger(value)) values.set(name, value);
  }
  let changed = false;
  const inlined = visit(document, {
    Argument(node: ArgumentNode) {
      if (!PAGE_SIZE_ARGUMENTS.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
      const value = values.get(node.value.name.value);
      if (value === undefined) return undefined;
      changed = true;
      return { ...node, value: { kind: Kind.INT, value: String(value) } };
    },
  });
  return changed ? inlined : null;
}
