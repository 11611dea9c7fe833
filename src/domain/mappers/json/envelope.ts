// Douyin wraps every webcast JSON answer as `{data, extra: {now}, status_code}`. The mappers
// stay pure: instead of throwing they return a signal, and the HTTP client turns a signal into
// its typed UpstreamError.
import { at, int, record, text } from './values.ts';

export type UpstreamSignal =
  | { kind: 'NOT_FOUND'; statusCode: number | null; message: string }
  | { kind: 'LOGIN_REQUIRED'; statusCode: number; message: string }
  /** A non-zero status_code with no known meaning. */
  | { kind: 'UPSTREAM_STATUS'; statusCode: number; message: string }
  /** The body parsed but is not the shape this endpoint answers with. */
  | { kind: 'BAD_SHAPE'; message: string };

export type Mapped<T> = { ok: true; value: T } | { ok: false; signal: UpstreamSignal };

export const mapped = <T>(value: T): Mapped<T> => ({ ok: true, value });
export const signal = <T = never>(s: UpstreamSignal): Mapped<T> => ({ ok: false, signal: s });
export const badShape = <T = never>(message: string): Mapped<T> => signal({ kind: 'BAD_SHAPE', message });

/** status_code values (protocol §1.3). */
export const STATUS_ROOM_NOT_FOUND = 4001038;
const LOGIN_CODES = new Set([20003, 2483]);

function promptOf(body: Record<string, unknown>): string | null {
  return text(at(body, 'data', 'prompts')) ?? text(body.status_msg) ?? text(at(body, 'data', 'message')) ?? text(body.message);
}

/** Checks status_code; an absent status_code (pop/v3 promotions) counts as success. */
export function checkEnvelope(body: unknown): Mapped<Record<string, unknown>> {
  const envelope = record(body);
  if (envelope === null) return badShape('the body is not a JSON object');
  const code = int(envelope.status_code) ?? 0;
  if (code === 0) return mapped(envelope);
  const message = promptOf(envelope) ?? `status_code ${code}`;
  if (code === STATUS_ROOM_NOT_FOUND) return signal({ kind: 'NOT_FOUND', statusCode: code, message });
  if (LOGIN_CODES.has(code)) return signal({ kind: 'LOGIN_REQUIRED', statusCode: code, message });
  return signal({ kind: 'UPSTREAM_STATUS', statusCode: code, message });
}
