// Runs a graphql-armor validation rule so that a refusal is a validation error with our stable
// code (armor throws an uncoded "Syntax Error", which graphql-ws would turn into a 4500 close),
// and counts each refused operation once, also when yoga answers from its validation cache.
import type { ASTVisitor, GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { armorMessage, limitCodeOf, limitError, type LimitCode, type RejectionListener } from './codes.ts';

type ArmorRejectCallback = (context: ValidationContext | null, error: GraphQLError) => void;

/** The options every armor rule takes besides its own. */
interface ArmorCallbacks {
  onReject?: ArmorRejectCallback[];
  propagateOnRejection?: boolean;
}

type ArmorRule<Options> = (options: Options & ArmorCallbacks) => (context: ValidationContext) => object;

export interface ValidationLimit<Options> {
  rule: ArmorRule<Options>;
  options: Options;
  code: LimitCode;
  /** The configured figure, sent to the client as extensions.limit. */
  limit: number;
  onRejected?: RejectionListener | undefined;
}

export function codedArmorRule<Options>(limit: Omit<ValidationLimit<Options>, 'onRejected'>): ValidationRule {
  const refuse: ArmorRejectCallback = (context, error) => {
    context?.reportError(limitError(limit.code, armorMessage(error), { limit: limit.limit }));
  };
  return limit.rule({ ...limit.options, propagateOnRejection: false, onReject: [refuse] }) as (context: ValidationContext) => ASTVisitor;
}

export function useValidationLimit<Options>(limit: ValidationLimit<Options>): Plugin {
  const rule = codedArmorRule(limit);
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
      return ({ result }) => {
        if (result.some((error) => limitCodeOf(error) === limit.code)) limit.onRejected?.(limit.code);
      };
    },
  };
}
