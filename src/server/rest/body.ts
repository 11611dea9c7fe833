// Parameters of a POST: multipart or urlencoded form (what the vendor documents), or a JSON
// object (what its example shows), with the query string as a fallback. Bodies are capped.
import { badRequest, VendorError } from './errors.ts';
import type { Params } from './params.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export async function postParams(request: Request, url: URL): Promise<Params> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  const body = await readLimited(request);
  const fromBody = body.byteLength === 0 ? null : await parseBody(body, type);
  return {
    get(name) {
      return fromBody?.get(name) ?? url.searchParams.get(name);
    },
  };
}

async function parseBody(body: Uint8Array<ArrayBuffer>, type: string): Promise<Map<string, string>> {
  if (type.startsWith('application/json')) return jsonFields(body);
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { 'content-type': type } }).formData();
    } catch {
      throw badRequest('the form body could not be parsed');
    }
    const fields = new Map<string, string>();
    for (const [name, value] of form.entries()) if (typeof value === 'string' && !fields.has(name)) fields.set(name, value);
    return fields;
  }
  throw new VendorError(415, 'BAD_REQUEST', 'send the parameters as multipart/form-data, a urlencoded form or JSON');
}

function jsonFields(body: Uint8Array): Map<string, string> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw badRequest('the JSON body could not be parsed');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw badRequest('the JSON body must be an object');
  const fields = new Map<string, string>();
  for (const [name, value] of Object.entries(json)) {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      // JSON.parse already rounded it: a 19-digit id is only exact as a string.
      throw badRequest(`${name} is a number beyond 2^53 in the JSON body and lost its last digits; send it as a string`);
    }
    if (typeof value === 'string' || typeof value === 'number') fields.set(name, String(value));
  }
  return fields;
}

async function readLimited(request: Request): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(): VendorError {
  return new VendorError(413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${MAX_BODY_BYTES} bytes`);
}
