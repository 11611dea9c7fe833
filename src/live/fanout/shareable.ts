// Which graphql-ws operations may share one execution, and under which key. Sharing is only
// safe where the result depends on nothing but the document, its variables and the caller's
// auth scope, so the rule is an allow-list of root fields and anything unusual stays on the
// per-subscriber path. roomEvents with a resume cursor (`after`) is per subscriber: its replay
// runs at that subscriber's own pace, and a later joiner would miss it. roomStatus is not listed:
// its first results are each subscriber's own snapshot of the rooms' state at subscribe time.
import { createHash } from 'node:crypto';
import {
  getOperationAST,
  getVariableValues,
  Kind,
  print,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';

/** Root subscription fields whose execution is the same for every caller of one auth scope. */
export const SHAREABLE_ROOT_FIELDS: ReadonlySet<string> = new Set(['roomEvents']);

/** Arguments that make an operation one subscriber's own whenever they are given a value. */
const PER_SUBSCRIBER_ARGUMENTS: ReadonlySet<string> = new Set(['after']);

/** The auth scope of a caller without a token (the API is open). */
export const OPEN_SCOPE = 'open';

export interface ShareRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null | undefined;
  variables: Readonly<Record<string, unknown>> | null | undefined;
  /** The caller's token id, or null when the API is open. */
  tokenId: string | null;
}

/** The group key of an operation that can share an execution, or null when it must run alone. */
export function sharingKey(request: ShareRequest): string | null {
  const operation = getOperationAST(request.document, request.operationName);
  if (operation == null || operation.operation !== 'subscription') return null;
  const [root, ...others] = operation.selectionSet.selections;
  if (root === undefined || others.length > 0 || root.kind !== Kind.FIELD) return null;
  if (!SHAREABLE_ROOT_FIELDS.has(root.name.value) || (root.directives?.length ?? 0) > 0) return null;
  // Coerced values: defaults applied, unused inputs dropped, so equal executions get equal keys.
  const coerced = getVariableValues(request.schema, operation.variableDefinitions ?? [], { ...request.variables });
  if (coerced.errors !== undefined) return null;
  if (givesPerSubscriberArgument(root, coerced.coerced)) return null;
  return groupKey({
    document: printedDocument(request.document),
    operationName: request.operationName ?? null,
    variables: coerced.coerced,
    scope: request.tokenId ?? OPEN_SCOPE,
  });
}

function givesPerSubscriberArgument(field: FieldNode, variables: Record<string, unknown>): boolean {
  return (field.arguments ?? []).some((argument) => PER_SUBSCRIBER_ARGUMENTS.has(argument.name.value) && valueOf(argument.value, variables) != null);
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  return valueFromASTUntyped(node, variables);
}

const printed = new WeakMap<DocumentNode, string>();

/** yoga's parser cache hands out one DocumentNode per text, so each is printed once. */
function printedDocument(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

export interface GroupKeyParts {
  /** Normalized (printed) document text. */
  document: string;
  operationName: string | null;
  /** Coerced variable values. */
  variables: Readonly<Record<string, unknown>>;
  /** A token id, or OPEN_SCOPE. */
  scope: string;
}

/** SHA-256 over the parts, with variables serialized with sorted keys. */
export function groupKey(parts: GroupKeyParts): string {
  const text = JSON.stringify([parts.document, parts.operationName, stableJson(parts.variables), parts.scope]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted at every level, so {a, b} and {b, a} serialize alike. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isPlainObject(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortedKeys(inner)]));
}

/** A custom scalar may coerce to a Date or a class instance: those keep their own JSON form. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
