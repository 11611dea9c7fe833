import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.ts';
import { ErrorCode } from './errors.ts';

const MAX_DATE_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

function invalid(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

export function parseDateTime(value: unknown): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_DATE_MS) {
    throw invalid(`DateTime must be an ISO-8601 string or milliseconds since the epoch, got ${JSON.stringify(value)}`);
  }
  return ms;
}

function literalValue(ast: ValueNode): unknown {
  if (ast.kind === Kind.STRING) return ast.value;
  if (ast.kind === Kind.INT) return Number(ast.value);
  return undefined;
}

builder.scalarType('DateTime', {
  description:
    'A point in time. Sent as an ISO-8601 UTC string with milliseconds ("2026-09-27T11:59:20.000Z"); ' +
    'accepted as such a string or as milliseconds since the Unix epoch.',
  serialize: (ms) => new Date(ms).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(literalValue(ast)),
});

export function parseSafeInt(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalid(`SafeInt must be an integer within ±(2^53−1), got ${JSON.stringify(value)}`);
  }
  return value;
}

builder.scalarType('SafeInt', {
  description:
    'An integer within ±(2^53−1). Used for counts (viewers, likes, diamonds) that can pass the 32-bit Int. ' +
    'Ids are never SafeInt: they are ID strings.',
  serialize: (value) => parseSafeInt(value),
  parseValue: parseSafeInt,
  parseLiteral: (ast) => parseSafeInt(ast.kind === Kind.INT ? Number(ast.value) : undefined),
});
