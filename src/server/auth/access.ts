// Who may call the gateway, how often and with how many subscriptions, built once from the
// configuration and shared by every door (vendor routes, GraphQL over HTTP and SSE, graphql-ws),
// so one token has one request budget however it comes in.
import type { LimitsConfig, SecurityConfig } from '../../config.ts';
import { createTokenAuthenticator, type TokenAuthenticator } from './authenticator.ts';
import { createCorsPolicy, type CorsPolicy } from './cors.ts';
import { TokenBucketRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { SessionRegistry } from './sessions.ts';
import { SubscriptionCaps } from './subscription-caps.ts';

export interface AccessControl {
  auth: TokenAuthenticator;
  rateLimiter: RateLimiter;
  caps: SubscriptionCaps;
  cors: CorsPolicy;
  /** Open graphql-ws sockets and SSE streams by token, ended when their token is revoked. */
  sessions: SessionRegistry;
}

export type AccessLimits = Pick<LimitsConfig, 'rateLimitPerMin' | 'maxSubscriptionsPerConnection' | 'maxSubscriptionsPerToken'>;

export interface AccessConfig {
  security: Pick<SecurityConfig, 'apiTokensFile' | 'corsOrigins'>;
  /** Without limits nothing is rate limited or capped (tests of other concerns). */
  limits?: AccessLimits | undefined;
}

const UNLIMITED: RateLimiter = { take: () => ({ ok: true, remaining: Number.POSITIVE_INFINITY }) };

/**
 * Throws TokenFileError for an unreadable or corrupt token file and CorsConfigError for a bad
 * CORS_ORIGINS entry: both are start-up mistakes to report, not to run with.
 */
export function createAccessControl(config: AccessConfig, options: { onReloadError?: (error: Error) => void } = {}): AccessControl {
  const { limits } = config;
  const auth = createTokenAuthenticator({ file: config.security.apiTokensFile, onReloadError: options.onReloadError });
  return {
    auth,
    sessions: new SessionRegistry(auth),
    rateLimiter: limits === undefined ? UNLIMITED : new TokenBucketRateLimiter({ perMinute: limits.rateLimitPerMin }),
    caps: new SubscriptionCaps({
      perConnection: limits?.maxSubscriptionsPerConnection ?? Number.POSITIVE_INFINITY,
      perToken: limits?.maxSubscriptionsPerToken ?? Number.POSITIVE_INFINITY,
    }),
    cors: createCorsPolicy(config.security.corsOrigins),
  };
}
