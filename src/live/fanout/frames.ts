// graphql-ws `next` frames built from a payload serialized once per group: each member's frame
// is its own head (`{"id":<its id>,"type":"next","payload":`), the shared payload bytes and `}`.
// The bytes equal what graphql-ws itself writes (JSON.stringify of {id, type, payload}), so a
// client cannot tell a shared delivery from a per-subscriber one.
import type { ExecutionResult } from 'graphql';

const FRAME_TAIL = Buffer.from('}');

/** The part of a member's `next` frames that comes before the payload. */
export function nextFrameHead(id: string): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`, 'utf8');
}

/** The result as graphql-ws puts it in a `next` payload: errors last and only when there are some. */
export function serializeResult(result: ExecutionResult): Buffer {
  const { errors, ...rest } = result;
  const payload = errors === undefined ? rest : { ...rest, errors: errors.map(errorJson) };
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

export function nextFrame(head: Buffer, payload: Buffer): Buffer {
  return Buffer.concat([head, payload, FRAME_TAIL], head.length + payload.length + FRAME_TAIL.length);
}

function errorJson(error: unknown): unknown {
  const withJson = error as { toJSON?: () => unknown };
  return typeof withJson.toJSON === 'function' ? withJson.toJSON() : error;
}
