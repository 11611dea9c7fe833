import type { Signer } from './signer.ts';

/** No signing: stand-ins (the simulator) accept unsigned URLs; Douyin itself refuses them. */
export const noSigner: Signer = Object.freeze({
  kind: 'none' as const,
  sign: async () => ({ signature: '' }),
});
