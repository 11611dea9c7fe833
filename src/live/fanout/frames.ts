// graphql-ws `next` frames built from a payload serialized once per group: each member's frame
// is its own head (`{"id":<its id>,"type":"next","payload":`), the shared payload bytes and `}`.
// The bytes equal what graphql-ws itself writes (JSON.stringify of {id, type, payload}), so a
// client cannot tell a shared delivery from a per-subscriber one. The head is written into each
// frame from the member's id rather than kept per member as a Buffer: a member lives as long as
// its subscriber, a delivery's few more bytes written last a moment (bench/README.md, "Memory per
// subscriber").
import type { ExecutionResult } from 'graphql';

const HEAD_START = Buffer.from('{"id":"');
const HEAD_END = Buffer.from('","type":"next","payload":');
const FRAME_TAIL = 0x7d; // }

/**
 * An operation id as it appears between the quotes of a JSON string. Most ids need no escaping:
 * for them this is the id itself (the same string, so a member keeps no copy of its own).
 */
export function escapedId(id: string): string {
  const inner = JSON.stringify(id).slice(1, -1);
  return inner === id ? id : inner;
}

/** The result as graphql-ws puts it in a `next` payload: errors last and only when there are some. */
export function serializeResult(result: ExecutionResult): Buffer {
  const { errors, ...rest } = result;
  const payload = errors === undefined ? rest : { ...rest, errors: errors.map(errorJson) };
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

/** The `next` frame of the operation whose id is `escaped` (from escapedId) carrying `payload`. */
export function nextFrame(escaped: string, payload: Buffer): Buffer {
  const idBytes = Buffer.byteLength(escaped, 'utf8');
  const frame = Buffer.allocUnsafe(HEAD_START.length + idBytes + HEAD_END.length + payload.length + 1);
  let at = HEAD_START.copy(frame, 0);
  at += frame.write(escaped, at, idBytes, 'utf8');
  at += HEAD_END.copy(frame, at);
  at += payload.copy(frame, at);
  frame[at] = FRAME_TAIL;
  return frame;
}

function errorJson(error: unknown): unknown {
  const withJson = error as { toJSON?: () => unknown };
  return typeof withJson.toJSON === 'function' ? withJson.toJSON() : error;
}
