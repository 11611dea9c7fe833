// Decoder counters for /metrics: decodeFrame updates them when given them in its context.
import type { DecodeErrorCode, DecodeStats, FrameResult } from './types.ts';

/** Distinct unknown method names kept by name; the server controls the names, so bound them. */
export const MAX_UNKNOWN_METHOD_NAMES = 200;
export const OTHER_UNKNOWN_METHODS = '(other)';

export function createDecodeStats(): DecodeStats {
  const errors: Record<DecodeErrorCode, number> = {
    EMPTY_FRAME: 0,
    BAD_FRAME: 0,
    BAD_GZIP: 0,
    BAD_RESPONSE: 0,
    BAD_MESSAGE: 0,
    WRONG_ROOM: 0,
  };
  return { frames: 0, messages: 0, events: 0, errors, unknownMethods: new Map() };
}

export function recordFrame(stats: DecodeStats, result: FrameResult, isKnownMethod: (method: string) => boolean): void {
  stats.frames += 1;
  if (!result.ok) {
    stats.errors[result.error.code] += 1;
    return;
  }
  const { methods, events, errors } = result.value;
  stats.messages += methods.length;
  stats.events += events.length;
  for (const error of errors) stats.errors[error.code] += 1;
  for (const method of methods) if (!isKnownMethod(method)) countUnknown(stats.unknownMethods, method);
}

function countUnknown(counts: Map<string, number>, method: string): void {
  const key = counts.has(method) || counts.size < MAX_UNKNOWN_METHOD_NAMES ? method : OTHER_UNKNOWN_METHODS;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
