// Query depth limit (MAX_QUERY_DEPTH), graphql-armor's rule with our code. Fragments are
// flattened: `... on ChatEvent { content }` nests no deeper than `content` itself. GraphiQL's
// introspection query is exempt (armor skips __schema).
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { Plugin } from 'graphql-yoga';
import { LimitCode, type RejectionListener } from './codes.ts';
import { useValidationLimit } from './validation-limit.ts';

export function useMaxDepth(options: { maxDepth: number; onRejected?: RejectionListener }): Plugin {
  return useValidationLimit({
    rule: maxDepthRule,
    options: { n: options.maxDepth, flattenFragments: true, ignoreIntrospection: true, exposeLimits: true },
    code: LimitCode.QUERY_TOO_DEEP,
    limit: options.maxDepth,
    onRejected: options.onRejected,
  });
}
