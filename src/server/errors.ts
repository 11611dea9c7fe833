// Error masking: a client sees the codes the schema raised on purpose and nothing else. Any
// other failure becomes "Unexpected error." with code INTERNAL_SERVER_ERROR, and is logged.
import { GraphQLError } from 'graphql';
import { isUpstreamError } from '../collectors/errors.ts';
import { fromUpstreamError, hasErrorCode } from '../schema/errors.ts';

export const INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR';
const MASKED_MESSAGE = 'Unexpected error.';

/** The deepest cause that is not a GraphQLError wrapper. */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError !== undefined && current.originalError !== current) {
    current = current.originalError;
  }
  return current;
}

/**
 * yoga's maskError. Keeps GraphQL's own errors (syntax, validation, variable coercion: they
 * have no original error) and errors carrying one of the schema's codes; maps an UpstreamError
 * that slipped through unconverted; masks the rest.
 */
export function maskError(error: unknown, onUnexpected: (cause: unknown) => void = () => undefined): Error {
  if (error instanceof GraphQLError) {
    const cause = rootCause(error);
    if (isUpstreamError(cause)) {
      const coded = fromUpstreamError(cause);
      return new GraphQLError(coded.message, { nodes: error.nodes, path: error.path, extensions: coded.extensions });
    }
    if (hasErrorCode(error) || cause instanceof GraphQLError || error.originalError === undefined) return error;
    onUnexpected(cause);
    return new GraphQLError(MASKED_MESSAGE, { nodes: error.nodes, path: error.path, extensions: { code: INTERNAL_SERVER_ERROR } });
  }
  onUnexpected(error);
  return new GraphQLError(MASKED_MESSAGE, { extensions: { code: INTERNAL_SERVER_ERROR } });
}
