// Runs once before any test worker starts: writes the PGlite initdb template, so every store a
// test opens unpacks it (about a second) instead of running initdb (many seconds on two cores).
import { ensurePgliteTemplate } from '../../src/store/pglite-template.ts';

export async function setup(): Promise<void> {
  await ensurePgliteTemplate();
}
