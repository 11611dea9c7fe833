// The Signer contract. Douyin's push handshake needs a `signature` (and most HTTP calls an
// `a_bogus`) computed by its own obfuscated browser script, which this project never ships:
// the operator plugs in an external service or a script file of their own.

export interface SignInput {
  /** The URL being signed (HTTP call or unsigned push URL). */
  url: string;
  /** The push signature stub (signatureStub); empty for HTTP calls. */
  stub: string;
  /** Must be the User-Agent the request is sent with: Douyin checks they match. */
  userAgent: string;
}

export interface SignResult {
  /** The push `signature`; '' when this signer has none. */
  signature: string;
  /** The HTTP `a_bogus` for `url`, when the signer computes it. */
  aBogus?: string;
}

export interface Signer {
  readonly kind: 'none' | 'service' | 'script';
  sign(input: SignInput): Promise<SignResult>;
}

export type SignerErrorCode =
  | 'SIGNER_BAD_SCRIPT' // the script file is missing, does not compile, or defines no sign()
  | 'SIGNER_TIMEOUT' // the script or the service took longer than the time limit
  | 'SIGNER_FAILED' // the script threw, or the service answered with an HTTP error
  | 'SIGNER_BAD_RESULT' // the answer is not a signature
  | 'SIGNER_UNAVAILABLE'; // the service could not be reached

export class SignerError extends Error {
  readonly code: SignerErrorCode;

  constructor(code: SignerErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SignerError';
    this.code = code;
  }
}

export function isSignerError(error: unknown): error is SignerError {
  return error instanceof SignerError;
}

/** Reads a signer's answer: a bare string, or an object with signature / X-Bogus and a_bogus. */
export function toSignResult(value: unknown, source: string): SignResult {
  if (typeof value === 'string') return { signature: value };
  if (value !== null && typeof value === 'object') {
    const answer = value as Record<string, unknown>;
    const signature = answer.signature ?? answer['X-Bogus'] ?? '';
    const aBogus = answer.aBogus ?? answer.a_bogus;
    if (typeof signature === 'string' && (aBogus === undefined || typeof aBogus === 'string')) {
      return aBogus === undefined || aBogus === '' ? { signature } : { signature, aBogus };
    }
  }
  throw new SignerError('SIGNER_BAD_RESULT', `${source} answered ${describe(value)}, not a signature`);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
