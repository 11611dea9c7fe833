// Who may call the gateway, how often and with how many subscriptions, built once from the
// configuration and shared by every door (vendor routes, GraphQL over HTTP and SSE, graphql-ws),
// so one token has one request budget however it comes in.
import { Redis } from 'ioredis';
import type { BusConfig, LimitsConfig, SecurityConfig } from '../../config.ts';
import { createTokenAuthenticator, type TokenAuthenticator } from './authenticator.ts';
import { createCorsPolicy, type CorsPolicy } from './cors.ts';
import { TokenBucketRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { SessionRegistry } from './sessions.ts';
import { FleetRateLimiter, FleetSubscriptionCaps } from './fleet-limits.ts';
import { SubscriptionCaps, type SubscriptionCapsPort } from './subscription-caps.ts';

export interface AccessControl {
  auth: TokenAuthenticator;
  rateLimiter: RateLimiter;
  caps: SubscriptionCapsPort;
  cors: CorsPolicy;
  /** Open graphql-ws sockets and SSE streams by token, ended when their token is revoked. */
  sessions: SessionRegistry;
  /** Resolves once the fleet's Redis connection is up (at once without one); until then each instance counts alone. */
  ready(): Promise<void>;
  /** Lets go of the fleet's Redis connection, if any. */
  close(): Promise<void>;
}

export type AccessLimits = Pick<LimitsConfig, 'rateLimitPerMin' | 'maxSubscriptionsPerConnection' | 'maxSubscriptionsPerToken'>;

export interface AccessConfig {
  security: Pick<SecurityConfig, 'apiTokensFile' | 'corsOrigins'>;
  /** Without limits nothing is rate limited or capped (tests of other concerns). */
  limits?: AccessLimits | undefined;
  /** With REDIS_URL the limits count across every instance sharing that Redis. */
  bus?: Pick<BusConfig, 'redisUrl'> & Partial<Pick<BusConfig, 'redisPrefix'>>;
}

const UNLIMITED: RateLimiter = { take: () => ({ ok: true, remaining: Number.POSITIVE_INFINITY }) };

/**
 * Throws TokenFileError for an unreadable or corrupt token file and CorsConfigError for a bad
 * CORS_ORIGINS entry: both are start-up mistakes to report, not to run with.
 */
export function createAccessControl(
  config: AccessConfig,
  options: { onReloadError?: (error: Error) => void; onLimitsError?: (error: unknown) => void } = {},
): AccessControl {
  const { limits } = config;
  const auth = createTokenAuthenticator({ file: config.security.apiTokensFile, onReloadError: options.onReloadError });
  const base = { auth, sessions: new SessionRegistry(auth), cors: createCorsPolicy(config.security.corsOrigins) };
  const redisUrl = config.bus?.redisUrl ?? null;
  if (limits === undefined || redisUrl === null) {
    return {
      ...base,
      rateLimiter: limits === undefined ? UNLIMITED : new TokenBucketRateLimiter({ perMinute: limits.rateLimitPerMin }),
      caps: new SubscriptionCaps({
        perConnection: limits?.maxSubscriptionsPerConnection ?? Number.POSITIVE_INFINITY,
        perToken: limits?.maxSubscriptionsPerToken ?? Number.POSITIVE_INFINITY,
      }),
      ready: async () => undefined,
      close: async () => undefined,
    };
  }
  // No offline queue: while Redis is away a limit is decided at once by this instance alone.
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const onError = options.onLimitsError ?? (() => undefined);
  redis.on('error', onError);
  const keyPrefix = `${config.bus?.redisPrefix ?? 'douyin-live:'}limits:`;
  const caps = new FleetSubscriptionCaps({
    redis,
    keyPrefix,
    perConnection: limits.maxSubscriptionsPerConnection,
    perToken: limits.maxSubscriptionsPerToken,
    onError,
  });
  return {
    ...base,
    rateLimiter: new FleetRateLimiter({ redis, keyPrefix, perMinute: limits.rateLimitPerMin }),
    caps,
    ready: () => (redis.status === 'ready' ? Promise.resolve() : new Promise((resolve) => redis.once('ready', () => resolve()))),
    async close() {
      caps.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
