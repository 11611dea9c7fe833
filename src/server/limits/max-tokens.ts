// Token limit (MAX_TOKENS): the parser stops counting, and parsing, at the limit, so a huge
// document costs no more than a limit-sized one. graphql-armor's parser with our code.
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type ParseOptions, type Source } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { armorMessage, LimitCode, limitError, type RejectionListener } from './codes.ts';

export function useMaxTokens(options: { maxTokens: number; onRejected?: RejectionListener }): Plugin {
  const parseWithLimit = (source: string | Source, parseOptions?: ParseOptions) => {
    let refusal: GraphQLError | null = null;
    const parser = new MaxTokensParserWLexer(source, {
      ...parseOptions,
      n: options.maxTokens,
      exposeLimits: true,
      propagateOnRejection: true,
      onReject: [(_context, error) => (refusal = error)],
    });
    try {
      return parser.parseDocument();
    } catch (error) {
      if (refusal === null) throw error;
      options.onRejected?.(LimitCode.TOO_MANY_TOKENS);
      throw limitError(LimitCode.TOO_MANY_TOKENS, armorMessage(refusal), { limit: options.maxTokens });
    }
  };
  return {
    onParse({ setParseFn }) {
      setParseFn(parseWithLimit);
    },
  };
}
