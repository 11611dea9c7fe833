// Builds the configured Signer. A script signer is loaded (and checked) here, at start-up.
import type { SignerConfig } from '../../config.ts';
import { createExternalSigner } from './external.ts';
import { noSigner } from './none.ts';
import { loadScriptSigner } from './script.ts';
import type { Signer } from './signer.ts';

export async function createSigner(config: SignerConfig, deps: { fetch?: typeof globalThis.fetch } = {}): Promise<Signer> {
  switch (config.kind) {
    case 'none':
      return noSigner;
    case 'service':
      return createExternalSigner({ url: config.url, timeoutMs: config.timeoutMs, ...deps });
    case 'script':
      return loadScriptSigner(config.path, { timeoutMs: config.timeoutMs });
  }
}

export { noSigner } from './none.ts';
export { createExternalSigner } from './external.ts';
export { createScriptSigner, loadScriptSigner } from './script.ts';
export { signatureStub, signatureStubInput, WEBCAST_SDK_VERSION, WEBCAST_VERSION_CODE, type StubParams } from './stub.ts';
export { buildPushUrl, normalizePushBase, syntheticCursor, PUSH_PATH, type PushUrlParams } from './push-url.ts';
export { SignerError, isSignerError, type Signer, type SignInput, type SignResult, type SignerErrorCode } from './signer.ts';
