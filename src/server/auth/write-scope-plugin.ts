// Mutations need the `write` scope: a read token (`npm run tokens -- add <name>`) may query,
// subscribe and call the vendor routes, and gets FORBIDDEN for any mutation, before it runs.
// Runs in envelop's execute phase, so GraphQL over HTTP and graphql-ws are both covered.
import { GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestAuth } from './yoga-auth-plugin.ts';

export function useWriteScope(): Plugin<{ auth?: RequestAuth }> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      if (operation?.operation !== 'mutation') return;
      // No auth in the context means no guard is mounted (tests of other concerns).
      const auth = (args.contextValue as { auth?: RequestAuth }).auth;
      if (auth === undefined || auth.scopes.includes('write')) return;
      setResultAndStopExecution({
        errors: [new GraphQLError('this API token may only read: mutations need a token with the write scope', { extensions: { code: 'FORBIDDEN' } })],
      });
    },
  };
}
