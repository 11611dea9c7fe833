// The codes an abuse limit refuses an operation with. Clients switch on extensions.code, and
// the rejections metric is labelled with it, so these strings are part of the API: never rename.
import { GraphQLError } from 'graphql';

export const LimitCode = {
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
  /** The answer, serialized, is over MAX_RESPONSE_BYTES. */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  /** A persisted-operation hash the gateway does not know. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** PERSISTED_OPERATIONS=only and the request carried a document that is not persisted. */
  PERSISTED_QUERY_ONLY: 'PERSISTED_QUERY_ONLY',
} as const;

export type LimitCode = (typeof LimitCode)[keyof typeof LimitCode];

const CODES = new Set<string>(Object.values(LimitCode));

/** Called once per refused operation, with the code it was refused with. */
export type RejectionListener = (code: LimitCode) => void;

/** The error a limit refuses with. No originalError, so error masking passes it on as it is. */
export function limitError(code: LimitCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export function limitCodeOf(error: unknown): LimitCode | null {
  if (!(error instanceof GraphQLError)) return null;
  const code = error.extensions?.code;
  return typeof code === 'string' && CODES.has(code) ? (code as LimitCode) : null;
}

/**
 * graphql-armor words every refusal "Syntax Error: …" (it reuses the parser's error type); the
 * document is well-formed, so keep armor's figures and drop the misleading prefix.
 */
export function armorMessage(error: GraphQLError): string {
  return error.message.replace(/^Syntax Error:\s*/, '');
}
