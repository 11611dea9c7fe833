// An external signing service, e.g. a small server that keeps a real browser page open and
// calls Douyin's own SDK there. Protocol: POST {url, stub, userAgent} as JSON; the answer is
// JSON {signature, a_bogus?} (a bare string and X-Bogus / aBogus are accepted too).
import { SignerError, toSignResult, type SignInput, type Signer } from './signer.ts';

export interface ExternalSignerOptions {
  url: string;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
}

export function createExternalSigner(options: ExternalSignerOptions): Signer {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const where = new URL(options.url).host;
  return {
    kind: 'service',
    async sign(input: SignInput) {
      let response: Response;
      try {
        response = await fetchFn(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(input),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        if (error instanceof Error && error.name === 'TimeoutError') {
          throw new SignerError('SIGNER_TIMEOUT', `signing service ${where} did not answer within ${options.timeoutMs} ms`, error);
        }
        throw new SignerError('SIGNER_UNAVAILABLE', `signing service ${where} is unreachable: ${(error as Error).message}`, error);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new SignerError('SIGNER_FAILED', `signing service ${where} answered HTTP ${response.status}`);
      }
      let answer: unknown;
      try {
        answer = await response.json();
      } catch (error) {
        if (error instanceof Error && error.name === 'TimeoutError') {
          throw new SignerError('SIGNER_TIMEOUT', `signing service ${where} did not finish its answer within ${options.timeoutMs} ms`, error);
        }
        throw new SignerError('SIGNER_BAD_RESULT', `signing service ${where} answered something that is not JSON`, error);
      }
      return toSignResult(answer, `signing service ${where}`);
    },
  };
}
