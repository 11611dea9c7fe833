// GraphQL over HTTP/SSE requires `Authorization: Bearer <token>`; the caller reaches resolvers
// as context.auth; rate limits answer 429 with Retry-After; the GraphiQL page needs no token.
import { createSchema, createYoga } from 'graphql-yoga';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenBucketRateLimiter } from '../../src/server/auth/rate-limiter.ts';
import { useTokenAuth, type RequestAuth } from '../../src/server/auth/yoga-auth-plugin.ts';
import { tokenFixture, type TokenFixture } from '../rest/helpers/tokens.ts';

let tokens: TokenFixture;
beforeEach(() => {
  tokens = tokenFixture();
});
afterEach(() => tokens.cleanup());

const schema = createSchema<{ auth?: RequestAuth }>({
  typeDefs: 'type Query { whoami: String }',
  resolvers: { Query: { whoami: (_root, _args, context) => (context.auth ? `${context.auth.name}/${context.auth.limitKey}` : null) } },
});

function app(perMinute = 100) {
  return createYoga({
    schema,
    logging: false,
    plugins: [useTokenAuth({ auth: tokens.auth, rateLimiter: new TokenBucketRateLimiter({ perMinute, now: () => 0 }) })],
  });
}

function query(yoga: ReturnType<typeof app>, headers: Record<string, string> = {}) {
  return yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ whoami }' }),
  });
}

describe('useTokenAuth', () => {
  it('runs the operation for a good bearer token and hands the caller to resolvers', async () => {
    const response = await query(app(), { Authorization: `Bearer ${tokens.good}` });
    expect(response.status).toBe(200);
    const id = tokens.good.split('_')[1];
    expect(await response.json()).toEqual({ data: { whoami: `good/token:${id}` } });
  });

  it.each([
    ['no header', undefined, 'MISSING_TOKEN'],
    ['a bad token', 'Bearer dlg_nope', 'BAD_TOKEN'],
    ['a revoked token', 'REVOKED', 'REVOKED_TOKEN'],
    ['the token in the query string instead', 'QUERY', 'MISSING_TOKEN'],
  ])('refuses %s with 401 and a GraphQL error code', async (_name, header, code) => {
    const headers: Record<string, string> = {};
    if (header === 'REVOKED') headers.Authorization = `Bearer ${tokens.revoked}`;
    else if (header !== undefined && header !== 'QUERY') headers.Authorization = header;
    const yoga = app();
    const response =
      header === 'QUERY'
        ? await yoga.fetch(`http://gateway/graphql?query=%7Bwhoami%7D&token=${tokens.good}`, { headers: { Accept: 'application/json' } })
        : await query(yoga, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
  });

  it('answers 429 with Retry-After when the token has spent its minute', async () => {
    const yoga = app(1);
    expect((await query(yoga, { Authorization: `Bearer ${tokens.good}` })).status).toBe(200);
    const refused = await query(yoga, { Authorization: `Bearer ${tokens.good}` });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('RATE_LIMITED');
  });

  it('serves the GraphiQL page without a token, but not data', async () => {
    const page = await app().fetch('http://gateway/graphql', { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const data = await app().fetch('http://gateway/graphql?query=%7Bwhoami%7D', { headers: { Accept: 'application/json' } });
    expect(data.status).toBe(401);
  });

  it('leaves other paths to their own handlers', async () => {
    const response = await app().fetch('http://gateway/health');
    expect(response.status).not.toBe(401);
  });
});
