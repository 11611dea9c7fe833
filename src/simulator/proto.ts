// The simulator's own protobuf encoder over proto/webcast.proto (snake_case field names kept,
// so bodies read like the fact sheet). Decoding is the collectors' business, not ours.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_PATH = fileURLToPath(new URL('../../proto/webcast.proto', import.meta.url));

let root: protobuf.Root | null = null;
const types = new Map<string, protobuf.Type>();

function protoRoot(): protobuf.Root {
  root ??= new protobuf.Root().loadSync(PROTO_PATH, { keepCase: true });
  return root;
}

export function protoType(name: string): protobuf.Type {
  let type = types.get(name);
  if (!type) {
    type = protoRoot().lookupType(`webcast.${name}`);
    types.set(name, type);
  }
  return type;
}

/**
 * Encodes a plain object as the named webcast message. protobufjs' encoder takes plain objects
 * (64-bit values as decimal strings or numbers) directly; skipping fromObject halves the cost,
 * which matters for rooms sending thousands of messages a second.
 */
export function encodeProto(typeName: string, body: Record<string, unknown>): Uint8Array {
  return protoType(typeName).encode(body).finish();
}

/** A protobuf writer for hand-built payloads (message types the proto file does not declare). */
export function newWriter(): protobuf.Writer {
  return protobuf.Writer.create();
}
