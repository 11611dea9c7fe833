// Query cost limit (MAX_QUERY_COST), graphql-armor's rule with our code: every field costs,
// objects more than scalars, nesting multiplies, and a list asked for with `first: n` costs n
// times its items. Armor reads `first` only from literals, so before executing the document is
// costed again as it will really run (variables, schema defaults and id lists written in as page
// sizes) and refused there, before any resolver runs. The cost bounds the answer's size, and so
// the time it holds the event loop: MAX_QUERY_COST 10,000 is at most ~5,000 objects.
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import {
  getNullableType,
  isListType,
  Kind,
  TypeInfo,
  validate,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LimitCode, limitCodeOf, type RejectionListener } from './codes.ts';
import { codedArmorRule, useValidationLimit } from './validation-limit.ts';

const PAGE_SIZE_ARGUMENTS = new Set(['first', 'last']);
/** Distinct page sizes remembered per document; past it the memory starts again. */
const MAX_VERDICTS_PER_DOCUMENT = 256;

interface DocumentVerdicts {
  /** The variables that can change the document's cost (see sizingVariables). */
  sizing: string[];
  /** The refusal (or null) by the JSON of those variables' values. */
  byValues: Map<string, GraphQLError | null>;
}

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
  const costOf = (args: OperationArgs): GraphQLError | null => {
    const costed = costedDocument(args.schema, args.document, args.variableValues ?? null);
    return validate(args.schema, costed, [rule]).find((error) => limitCodeOf(error) === LimitCode.QUERY_TOO_COSTLY) ?? null;
  };
  // Costing walks the whole document with type info and validates it again: per request that was
  // the plugin chain's largest cost. Yoga's parser cache hands the same DocumentNode for the same
  // text, so the verdict is kept per document and per value of the variables that size lists.
  const verdicts = new WeakMap<DocumentNode, DocumentVerdicts>();
  const refusalWithVariables = (args: OperationArgs): GraphQLError | null => {
    let known = verdicts.get(args.document);
    if (known === undefined) {
      known = { sizing: sizingVariables(args.schema, args.document), byValues: new Map() };
      verdicts.set(args.document, known);
    }
    const key = JSON.stringify(known.sizing.map((name) => args.variableValues?.[name] ?? null));
    if (known.byValues.has(key)) return known.byValues.get(key) ?? null;
    const verdict = costOf(args);
    if (known.byValues.size >= MAX_VERDICTS_PER_DOCUMENT) known.byValues.clear();
    known.byValues.set(key, verdict);
    return verdict;
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
 * The document as it will really run, for costing: every list field that takes a page size gets
 * `first: n` with n what the resolver will use — the literal, the variable's value, the
 * variable's declared default, or else the schema's default for the argument (armor alone would
 * count an omitted `first` as one item, which let `events` under aliases return 80,000 rows) —
 * and a list field without one is sized by its longest list argument (`liveRooms(ids: [...])`).
 */
export function costedDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: { readonly [name: string]: unknown } | null,
): DocumentNode {
  const values = variableValues(document, variables);
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        const field = typeInfo.getFieldDef();
        if (field === null || field === undefined || node.selectionSet === undefined) return undefined;
        const size = pageSizeOf(node, field, values);
        if (size === null) return undefined;
        const others = (node.arguments ?? []).filter((argument) => !PAGE_SIZE_ARGUMENTS.has(argument.name.value));
        const first: ArgumentNode = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'first' }, value: { kind: Kind.INT, value: String(size) } };
        return { ...node, arguments: [first, ...others] };
      },
    }),
  );
}

/**
 * The variables costedDocument can read: those in a page-size argument or in any argument of a
 * list field (where an id list's length sizes it). Others (a room id) never change the cost.
 */
export function sizingVariables(schema: GraphQLSchema, document: DocumentNode): string[] {
  const names = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        const field = typeInfo.getFieldDef();
        const isList = field !== null && field !== undefined && isListType(getNullableType(field.type));
        for (const argument of node.arguments ?? []) {
          if (!isList && !PAGE_SIZE_ARGUMENTS.has(argument.name.value)) continue;
          visit(argument.value, { Variable: (variable) => void names.add(variable.name.value) });
        }
      },
    }),
  );
  return [...names].sort();
}

/** Given variables over their declared defaults. */
function variableValues(document: DocumentNode, variables: { readonly [name: string]: unknown } | null): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      if (variable.defaultValue !== undefined) values.set(variable.variable.name.value, valueFromASTUntyped(variable.defaultValue));
    }
  }
  for (const [name, value] of Object.entries(variables ?? {})) values.set(name, value);
  return values;
}

function pageSizeOf(node: FieldNode, field: GraphQLField<unknown, unknown>, values: Map<string, unknown>): number | null {
  for (const argument of node.arguments ?? []) {
    if (!PAGE_SIZE_ARGUMENTS.has(argument.name.value)) continue;
    const value = valueFromASTUntyped(argument.value, Object.fromEntries(values));
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  }
  for (const argument of field.args) {
    if (PAGE_SIZE_ARGUMENTS.has(argument.name) && typeof argument.defaultValue === 'number') return argument.defaultValue;
  }
  if (!isListType(getNullableType(field.type))) return null;
  let longest: number | null = null;
  for (const argument of node.arguments ?? []) {
    const value = valueFromASTUntyped(argument.value, Object.fromEntries(values));
    if (Array.isArray(value)) longest = Math.max(longest ?? 0, value.length);
  }
  return longest;
}
