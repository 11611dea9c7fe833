// Revocation ends what a token opened: every long-lived session (a graphql-ws socket, an SSE
// stream) is held here under its token id, and while any is held the token file is checked
// every SWEEP_MS; a session whose token was revoked or removed is ended at once. Without this a
// revoked token was refused on new requests but kept every open stream flowing.
import type { TokenAuthenticator } from './authenticator.ts';

/** How often open sessions' tokens are re-checked: revocation takes effect within this plus a file read. */
export const SWEEP_MS = 250;

/** The release of a session that was not held: one function for all, since each socket keeps its release while open. */
const holdNothing = (): void => undefined;

export class SessionRegistry {
  private readonly byToken = new Map<string, Set<() => void>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly auth: TokenAuthenticator,
    private readonly sweepMs = SWEEP_MS,
  ) {}

  /** Holds a session; `end` is called once if its token is revoked. Returns the release. */
  hold(tokenId: string | null, end: () => void): () => void {
    if (tokenId === null || this.auth.open) return holdNothing;
    let ends = this.byToken.get(tokenId);
    if (ends === undefined) {
      ends = new Set();
      this.byToken.set(tokenId, ends);
    }
    ends.add(end);
    this.startSweeping();
    return () => this.release(tokenId, end);
  }

  /** Ends every session of a token that is no longer active. */
  sweep(): void {
    for (const [tokenId, ends] of [...this.byToken]) {
      if (this.auth.isActive(tokenId)) continue;
      this.byToken.delete(tokenId);
      for (const end of ends) end();
    }
    if (this.byToken.size === 0) this.stopSweeping();
  }

  sessions(): number {
    let count = 0;
    for (const ends of this.byToken.values()) count += ends.size;
    return count;
  }

  close(): void {
    this.byToken.clear();
    this.stopSweeping();
  }

  private release(tokenId: string, end: () => void): void {
    const ends = this.byToken.get(tokenId);
    ends?.delete(end);
    if (ends?.size === 0) this.byToken.delete(tokenId);
    if (this.byToken.size === 0) this.stopSweeping();
  }

  private startSweeping(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.sweep(), this.sweepMs);
    this.timer.unref();
  }

  private stopSweeping(): void {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
  }
}
