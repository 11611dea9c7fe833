import { GraphQLError, locatedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { blocked, rateLimited } from '../../src/collectors/errors.ts';
import { badUserInput } from '../../src/schema/errors.ts';
import { maskError } from '../../src/server/errors.ts';

function asResolverError(error: unknown): GraphQLError {
  return locatedError(error, undefined, ['liveRoom']);
}

describe('maskError', () => {
  it('keeps errors the schema raised with a code', () => {
    const masked = maskError(asResolverError(badUserInput('roomId: bad', 'roomId'))) as GraphQLError;
    expect(masked.message).toBe('roomId: bad');
    expect(masked.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'roomId' });
  });

  it('keeps GraphQL\'s own errors (no original error)', () => {
    const syntax = new GraphQLError('Syntax Error: Expected Name, found <EOF>.');
    expect(maskError(syntax)).toBe(syntax);
  });

  it('codes an UpstreamError that reached the server unconverted', () => {
    const masked = maskError(asResolverError(rateLimited(750))) as GraphQLError;
    expect(masked.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterMs: 750 });
    expect(masked.path).toEqual(['liveRoom']);
    expect((maskError(asResolverError(blocked('captcha'))) as GraphQLError).extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'BLOCKED',
    });
  });

  it('masks anything else and hands the cause to the logger', () => {
    const causes: unknown[] = [];
    const cause = new Error('password=hunter2');
    const masked = maskError(asResolverError(cause), (c) => causes.push(c)) as GraphQLError;
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(masked.path).toEqual(['liveRoom']);
    expect(causes).toEqual([cause]);
    expect((maskError('a thrown string') as GraphQLError).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
