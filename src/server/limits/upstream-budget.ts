// Every GraphQL execution runs in an upstream budget scope (collectors/http/budget.ts): its
// upstream calls queue under its caller's key for a fair turn, count against
// UPSTREAM_CALLS_PER_REQUEST, and are dropped when the client's request is aborted.
import type { Plugin } from 'graphql-yoga';
import { withUpstreamBudget } from '../../collectors/http/budget.ts';
import type { RequestAuth } from '../auth/yoga-auth-plugin.ts';

export interface UpstreamBudgetOptions {
  callsPerRequest: number;
}

interface BudgetContext {
  auth?: RequestAuth;
  request?: Request;
}

export function useUpstreamBudget(options: UpstreamBudgetOptions): Plugin<BudgetContext> {
  const scopeOf = (context: BudgetContext) => ({
    caller: context.auth?.limitKey ?? 'anonymous',
    signal: context.request?.signal,
    maxCalls: options.callsPerRequest,
  });
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const scope = scopeOf(args.contextValue as BudgetContext);
      setExecuteFn((executeArgs) => withUpstreamBudget(scope, () => executeFn(executeArgs)));
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const scope = scopeOf(args.contextValue as BudgetContext);
      setSubscribeFn((subscribeArgs) => withUpstreamBudget(scope, () => subscribeFn(subscribeArgs)));
    },
  };
}
