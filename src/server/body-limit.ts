// The request body cap (MAX_REQUEST_BODY_BYTES), in place of yoga's maxRequestBodySize. Yoga
// pipes every body through a byte-counting TransformStream, which took about a tenth of the
// gateway's CPU per small query (the pipeline, its abort controller and DOMException, and the
// garbage they leave). A body that node:http framed by its Content-Length cannot be longer than
// that header, so when the header is within the cap there is nothing left to count. Bodies
// without a length (chunked), and requests that did not come through node:http (yoga.fetch),
// are still counted as yoga counts them. The answers are yoga's own: 413 over the cap, 400 for a
// Content-Length that is not one whole number.
import { IncomingMessage } from 'node:http';
import { createGraphQLError } from '@graphql-tools/utils';
import type { Plugin } from 'graphql-yoga';

const CONTENT_LENGTH = /^\d+$/;

function bodyTooLarge() {
  return createGraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });
}

function invalidContentLength() {
  return createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
}

/** node:http delivers exactly Content-Length bytes as the body; nothing else promises that. */
function framedByNodeHttp(serverContext: unknown): boolean {
  return typeof serverContext === 'object' && serverContext !== null && (serverContext as { req?: unknown }).req instanceof IncomingMessage;
}

function countedBody(request: Request, maxBytes: number, fetchAPI: { TransformStream: typeof TransformStream; Request: typeof Request }): Request {
  const body = request.body;
  if (body === null) return request;
  // As yoga does: a native stream needs the native TransformStream (yoga issue 4583).
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let bytesRead = 0;
  const limited = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytesRead += chunk.byteLength;
        if (bytesRead > maxBytes) {
          controller.error(bodyTooLarge());
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: limited,
    // @ts-expect-error Node's Request needs `duplex` for a streamed body; the DOM types lack it.
    duplex: 'half',
  });
}

/** List it after any plugin that adds a request parser, so it wraps the parser yoga chose. */
export function useRequestBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI, serverContext }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength !== null) {
        if (!CONTENT_LENGTH.test(contentLength)) throw invalidContentLength();
        if (Number(contentLength) > maxBytes) throw bodyTooLarge();
        if (framedByNodeHttp(serverContext)) return;
      }
      if (requestParser === undefined || request.body === null) return;
      const parse = requestParser;
      setRequestParser((req) => parse(countedBody(req, maxBytes, fetchAPI)));
    },
  };
}
