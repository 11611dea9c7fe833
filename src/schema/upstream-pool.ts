// The upstream pool as operators see it: each cookie/proxy pair with secrets masked, its health,
// its rooms and its counts. Credentials-adjacent, so it needs the write scope when tokens are on.
import { GraphQLError } from 'graphql';
import type { PairSnapshot, PoolSnapshot } from '../collectors/pool/upstream-pool.ts';
import { builder } from './builder.ts';

const PairStateEnum = builder.enumType('UpstreamPairState', {
  description: 'Whether a cookie/proxy pair carries traffic.',
  values: {
    HEALTHY: { description: 'In service.' },
    QUARANTINED: { description: 'Refused by Douyin (or its proxy stopped answering); out of service until quarantinedUntil.' },
  } as const,
});

const PairRef = builder.objectRef<PairSnapshot>('UpstreamPair').implement({
  description: 'One cookie + proxy pair of the upstream pool (DOUYIN_COOKIES, DOUYIN_PROXIES).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable for the same cookie and proxy; also the `pair` label of the pool metrics.' }),
    cookie: t.exposeString('cookie', { nullable: true, description: 'The cookie names with their values masked; null for an anonymous pair.' }),
    cookieId: t.exposeID('cookieId', { nullable: true, description: "The cookie's id (a hash, not the cookie): what a watch's pin.cookie names. Null for an anonymous pair." }),
    proxy: t.exposeString('proxy', { nullable: true, description: 'The proxy URL with its password masked; null for direct.' }),
    proxyId: t.exposeID('proxyId', { nullable: true, description: "The proxy's id: what a watch's pin.proxy names. Null for direct." }),
    state: t.expose('state', { type: PairStateEnum }),
    quarantinedUntil: t.expose('quarantinedUntil', { type: 'DateTime', nullable: true }),
    lastFailure: t.exposeString('lastFailure', { nullable: true, description: 'Why the pair last failed (a refusal, or no answer through its proxy).' }),
    lastFailureAt: t.expose('lastFailureAt', { type: 'DateTime', nullable: true }),
    rooms: t.exposeIDList('rooms', { description: 'Rooms whose push connection goes through this pair.' }),
    calls: t.exposeInt('calls', { description: 'HTTP calls through this pair since start-up.' }),
    failures: t.exposeInt('failures'),
    quarantines: t.exposeInt('quarantines'),
  }),
});

const PoolRef = builder.objectRef<PoolSnapshot>('UpstreamPool').implement({
  description: 'The cookie/proxy pairs the gateway reaches Douyin through.',
  fields: (t) => ({
    degraded: t.exposeBoolean('degraded', { description: 'No pair is healthy: rooms report UPSTREAM_DEGRADED and upstream calls fail with that code.' }),
    healthy: t.exposeInt('healthy', { description: 'Pairs in service.' }),
    pairs: t.field({ type: [PairRef], resolve: (pool) => pool.pairs }),
  }),
});

builder.queryField('upstreamPool', (t) =>
  t.field({
    type: PoolRef,
    nullable: true,
    description: 'The upstream cookie/proxy pool; null when neither DOUYIN_COOKIES nor DOUYIN_PROXIES is set. Needs a token with the write scope when tokens are on.',
    resolve: (_root, _args, context) => {
      const scopes = context.auth?.scopes;
      if (scopes !== undefined && !scopes.includes('write')) {
        throw new GraphQLError('the upstream pool is shown to tokens with the write scope only', { extensions: { code: 'FORBIDDEN' } });
      }
      return context.upstreamPool?.snapshot() ?? null;
    },
  }),
);
