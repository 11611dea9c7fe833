// Response byte cap (MAX_RESPONSE_BYTES): the cost limit bounds what a query asks for, but a
// few fields (raw upstream payloads, long chat pages) are larger than their cost says. A result
// over the cap is replaced by an error before it is sent, so no client receives, and no socket
// buffers, an answer of many megabytes. Subscriptions are capped per event.
import { handleStreamOrSingleExecutionResult } from '@envelop/core';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LimitCode, limitError, type RejectionListener } from './codes.ts';

export interface ResponseSizeOptions {
  maxBytes: number;
  onRejected?: RejectionListener;
}

export function useResponseByteCap(options: ResponseSizeOptions): Plugin {
  const cap = (result: ExecutionResult, setResult: (result: ExecutionResult) => void) => {
    const bytes = Buffer.byteLength(JSON.stringify(result));
    if (bytes <= options.maxBytes) return;
    options.onRejected?.(LimitCode.RESPONSE_TOO_LARGE);
    setResult({
      data: null,
      errors: [
        limitError(LimitCode.RESPONSE_TOO_LARGE, `the response would be ${bytes} bytes, over the limit of ${options.maxBytes}: ask for smaller pages or fewer fields`, {
          limit: options.maxBytes,
        }),
      ],
    });
  };
  const onDone = (payload: Parameters<typeof handleStreamOrSingleExecutionResult>[0]) =>
    handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => cap(result, setResult));
  return {
    onExecute: () => ({ onExecuteDone: onDone }),
    onSubscribe: () => ({ onSubscribeResult: (payload) => onDone(payload as Parameters<typeof handleStreamOrSingleExecutionResult>[0]) }),
  };
}
