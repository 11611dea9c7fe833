// Revocation ends sessions: the registry ends exactly the revoked token's sessions, the guard
// refuses a new subscription on a socket whose token was revoked, and an ended stream says why.
import { describe, expect, it } from 'vitest';
import type { TokenAuthenticator } from '../../src/server/auth/authenticator.ts';
import { createGraphqlWsGuard } from '../../src/server/auth/graphql-ws-guard.ts';
import { endableStream } from '../../src/server/auth/revocable-streams.ts';
import { SessionRegistry } from '../../src/server/auth/sessions.ts';
import { SubscriptionCaps } from '../../src/server/auth/subscription-caps.ts';

function fakeAuth(): TokenAuthenticator & { revoked: Set<string> } {
  const revoked = new Set<string>();
  return {
    open: false,
    revoked,
    authenticate: (token) => (token === 'a' || token === 'b' ? { ok: true, tokenId: token, name: token, scopes: ['read'] } : { ok: false, code: 'BAD_TOKEN' }),
    isActive: (tokenId) => !revoked.has(tokenId),
  };
}

describe('SessionRegistry', () => {
  it('ends every session of a revoked token once, and none of another token', () => {
    const auth = fakeAuth();
    const sessions = new SessionRegistry(auth, 60_000);
    const ended: string[] = [];
    sessions.hold('a', () => ended.push('a1'));
    sessions.hold('a', () => ended.push('a2'));
    const releaseB = sessions.hold('b', () => ended.push('b'));
    sessions.sweep();
    expect(ended).toEqual([]);
    auth.revoked.add('a');
    sessions.sweep();
    sessions.sweep();
    expect(ended).toEqual(['a1', 'a2']);
    expect(sessions.sessions()).toBe(1);
    releaseB();
    auth.revoked.add('b');
    sessions.sweep();
    expect(ended).toEqual(['a1', 'a2']);
    sessions.close();
  });
});

describe('graphql-ws guard after revocation', () => {
  it('closes the socket with 4403 on the sweep and refuses a new subscription with REVOKED_TOKEN', async () => {
    const auth = fakeAuth();
    const sessions = new SessionRegistry(auth, 60_000);
    const closes: number[] = [];
    const ctx = { connectionParams: { token: 'a' }, extra: { socket: { close: (code: number) => closes.push(code) } } };
    const guard = createGraphqlWsGuard({ auth, caps: new SubscriptionCaps({ perConnection: 5, perToken: 5 }), rateLimiter: { take: () => ({ ok: true, remaining: 1 }) }, sessions });
    expect(guard.onConnect(ctx)).toBe(true);
    expect(await guard.onSubscribe(ctx, '1')).toBeUndefined();
    auth.revoked.add('a');
    const refused = await guard.onSubscribe(ctx, '2');
    expect(refused?.map((error) => error.extensions.code)).toEqual(['REVOKED_TOKEN']);
    sessions.sweep();
    expect(closes).toEqual([4403, 4403]);
    guard.onClose(ctx);
    expect(sessions.sessions()).toBe(0);
  });
});

/** An endless source of 1s that counts how often it was told to return. */
function returnCountingSource(): AsyncIterable<number> & { readonly returned: number } {
  let returned = 0;
  return {
    get returned() {
      return returned;
    },
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.resolve({ done: false, value: 1 }),
      return: () => {
        returned += 1;
        return Promise.resolve({ done: true, value: undefined });
      },
    }),
  };
}

describe('endableStream', () => {
  it('passes results through, then on end() answers a waiting next() with the last result and completes', async () => {
    async function* source() {
      yield 1;
      await new Promise(() => undefined);
    }
    const stream = endableStream(source(), -1);
    expect(await stream.iterator.next()).toEqual({ done: false, value: 1 });
    const waiting = stream.iterator.next();
    stream.end();
    expect(await waiting).toEqual({ done: false, value: -1 });
    expect(await stream.iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('ended before it is read: the last result, then done, and the source is let go', async () => {
    const source = returnCountingSource();
    const stream = endableStream(source, -1);
    stream.end();
    expect(source.returned).toBe(1);
    expect(await stream.iterator.next()).toEqual({ done: false, value: -1 });
    expect(await stream.iterator.next()).toEqual({ done: true, value: undefined });
    expect(source.returned).toBe(1);
  });

  it('a reader that leaves before reading lets the source go, with no last result', async () => {
    const source = returnCountingSource();
    const stream = endableStream(source, -1);
    await stream.iterator.return();
    expect(source.returned).toBe(1);
    stream.end();
    expect(await stream.iterator.next()).toEqual({ done: true, value: undefined });
  });
});
