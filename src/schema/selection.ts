// Which fields an operation selects under the field being resolved, so a resolver can skip an
// upstream call no selected field needs. Conservative: a field counts as selected whatever its
// @include/@skip says, and fragments of any type condition are looked into.
import type { FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/** Names of the fields selected directly under the current field (through fragments). */
export function selectedFieldNames(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Set<string> {
  const names = new Set<string>();
  for (const node of info.fieldNodes) collect(node.selectionSet, info.fragments, names, new Set());
  return names;
}

function collect(
  selectionSet: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  names: Set<string>,
  visited: Set<string>,
): void {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === 'Field') names.add(selection.name.value);
    else if (selection.kind === 'InlineFragment') collect(selection.selectionSet, fragments, names, visited);
    else if (!visited.has(selection.name.value)) {
      // Validation forbids fragment cycles; the visited set keeps a spread used twice cheap.
      visited.add(selection.name.value);
      collect(fragments[selection.name.value]?.selectionSet, fragments, names, visited);
    }
  }
}
