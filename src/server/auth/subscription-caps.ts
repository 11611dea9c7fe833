// How many subscriptions one graphql-ws connection, and one token across all its connections,
// may hold at once. acquire() hands back a release that is safe to call more than once.

export type CapRefusal = 'CONNECTION_LIMIT' | 'TOKEN_LIMIT';

/** An admitted subscription's slot: call `cap.release()` (a method; bind it to pass it on), safe to call more than once. */
export interface HeldCap {
  readonly ok: true;
  release(): void;
}

export type CapDecision = HeldCap | { ok: false; code: CapRefusal; limit: number };

export interface SubscriptionCapsOptions {
  perConnection: number;
  perToken: number;
}

/** What the transports hold subscriptions through: this process's counts, or the fleet's (fleet-limits.ts). */
export interface SubscriptionCapsPort {
  /** `connection` is any identity for the socket (the graphql-ws context object works). */
  acquire(connection: unknown, tokenKey: string): CapDecision | Promise<CapDecision>;
  /** Subscriptions this instance holds for the token. */
  tokenCount(tokenKey: string): number;
}

export class SubscriptionCaps implements SubscriptionCapsPort {
  private readonly byConnection = new Map<unknown, number>();
  private readonly byToken = new Map<string, number>();

  constructor(private readonly options: SubscriptionCapsOptions) {}

  /** `connection` is any identity for the socket (the graphql-ws context object works). */
  acquire(connection: unknown, tokenKey: string): CapDecision {
    const onConnection = this.byConnection.get(connection) ?? 0;
    if (onConnection >= this.options.perConnection) return { ok: false, code: 'CONNECTION_LIMIT', limit: this.options.perConnection };
    const onToken = this.byToken.get(tokenKey) ?? 0;
    if (onToken >= this.options.perToken) return { ok: false, code: 'TOKEN_LIMIT', limit: this.options.perToken };
    this.byConnection.set(connection, onConnection + 1);
    this.byToken.set(tokenKey, onToken + 1);
    return new LocalCap(this, connection, tokenKey);
  }

  /** Gives back one slot of `connection` and of `tokenKey` (LocalCap calls it once). */
  giveBack(connection: unknown, tokenKey: string): void {
    decrement(this.byConnection, connection);
    decrement(this.byToken, tokenKey);
  }

  connectionCount(connection: unknown): number {
    return this.byConnection.get(connection) ?? 0;
  }

  tokenCount(tokenKey: string): number {
    return this.byToken.get(tokenKey) ?? 0;
  }
}

/**
 * One object per admitted subscription rather than a closure: a socket keeps it while the
 * subscription lasts, so it holds only what release() needs (`ok` is on the prototype, and
 * releasing lets go of the counts instead of setting a flag beside them).
 */
class LocalCap implements HeldCap {
  private caps: SubscriptionCaps | null;

  constructor(
    caps: SubscriptionCaps,
    private readonly connection: unknown,
    private readonly tokenKey: string,
  ) {
    this.caps = caps;
  }

  get ok(): true {
    return true;
  }

  release(): void {
    const caps = this.caps;
    if (caps === null) return;
    this.caps = null;
    caps.giveBack(this.connection, this.tokenKey);
  }
}

function decrement<K>(counts: Map<K, number>, key: K): void {
  const next = (counts.get(key) ?? 0) - 1;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
