// Alias limit (MAX_ALIASES): aliases are how one request asks for the same costly field many
// times over (`a: liveRoom(...) b: liveRoom(...)`). graphql-armor's rule with our code.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import type { Plugin } from 'graphql-yoga';
import { LimitCode, type RejectionListener } from './codes.ts';
import { useValidationLimit } from './validation-limit.ts';

export function useMaxAliases(options: { maxAliases: number; onRejected?: RejectionListener }): Plugin {
  return useValidationLimit({
    rule: maxAliasesRule,
    options: { n: options.maxAliases, exposeLimits: true },
    code: LimitCode.TOO_MANY_ALIASES,
    limit: options.maxAliases,
    onRejected: options.onRejected,
  });
}
