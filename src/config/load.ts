// Reads the environment once at start-up. Nothing else in the project reads process.env:
// every module receives the typed, frozen Config built here.
import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from './errors.ts';
import {
  enumVar,
  intVar,
  listVar,
  numberVar,
  optionalHeaderVar,
  optionalProxyVar,
  optionalStringVar,
  optionalUrlVar,
  roomListVar,
  stringVar,
  urlVar,
} from './env-vars.ts';
import type { Config, Env, SignerConfig } from './types.ts';

export const DEFAULT_WEB_URL = 'https://live.douyin.com';
export const DEFAULT_REFLOW_URL = 'https://webcast.amemv.com';
export const DEFAULT_PUSH_URL = 'wss://webcast100-ws-web-lq.douyin.com';

const HOUR_MS = 3_600_000;
const PORT = { min: 0, max: 65_535 };
const POSITIVE = { min: 1, max: 1_000_000_000 };

const envSchema = z.object({
  PORT: intVar(4000, PORT),
  HOST: stringVar('127.0.0.1'),
  LOG_LEVEL: enumVar(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  DRAIN_MS: intVar(5000, { min: 0, max: 600_000 }),

  DOUYIN_UPSTREAM: enumVar(['simulator', 'live'], 'simulator'),
  DOUYIN_WEB_URL: optionalUrlVar(['http', 'https']),
  DOUYIN_PUSH_URL: urlVar(DEFAULT_PUSH_URL, ['ws', 'wss']),
  DOUYIN_COOKIE: optionalHeaderVar(),
  DOUYIN_SIGN_URL: optionalUrlVar(['http', 'https']),
  DOUYIN_SIGN_SCRIPT: optionalStringVar(),
  DOUYIN_SIGN_TIMEOUT_MS: intVar(2000, { min: 10, max: 60_000 }),
  HTTPS_PROXY: optionalProxyVar(),
  DOUYIN_COOKIES: optionalStringVar(),
  DOUYIN_PROXIES: optionalStringVar(),
  DOUYIN_POOL_QUARANTINE_MS: intVar(60_000, { min: 100, max: 24 * HOUR_MS }),
  DOUYIN_POOL_QUARANTINE_MAX_MS: intVar(30 * 60_000, { min: 100, max: 7 * 24 * HOUR_MS }),
  // 0 turns the session judgement off; below a second it would take every lull for a refusal.
  DOUYIN_POOL_SILENT_MS: intVar(5 * 60_000, { min: 0, max: 24 * HOUR_MS }),
  DOUYIN_POOL_BUSY_VIEWERS: intVar(1000, { min: 0, max: 1_000_000_000 }),
  HTTP_TIMEOUT_MS: intVar(8000, { min: 100, max: 300_000 }),
  HTTP_RETRIES: intVar(3, { min: 0, max: 10 }),
  UPSTREAM_RATE_PER_SEC: numberVar(5, { min: 0.01, max: 10_000 }),
  UPSTREAM_RATE_BURST: intVar(10, { min: 1, max: 10_000 }),
  UPSTREAM_CACHE_MAX_BYTES: intVar(32 * 1024 * 1024, { min: 0, max: 4 * 1024 ** 3 }),
  UPSTREAM_CACHE_ROOM_MS: intVar(5000, { min: 0, max: HOUR_MS }),
  UPSTREAM_CACHE_STATUS_MS: intVar(5000, { min: 0, max: HOUR_MS }),
  UPSTREAM_CACHE_RANKS_MS: intVar(10_000, { min: 0, max: HOUR_MS }),
  UPSTREAM_CACHE_PROMOTIONS_MS: intVar(10_000, { min: 0, max: HOUR_MS }),
  UPSTREAM_QUEUE_PER_CALLER: intVar(50, { min: 1, max: 100_000 }),
  UPSTREAM_QUEUE_DEADLINE_MS: intVar(5000, { min: 100, max: 600_000 }),
  UPSTREAM_CALLS_PER_REQUEST: intVar(150, { min: 1, max: 100_000 }),
  SIMULATOR_PORT: intVar(4100, PORT),
  SIMULATOR_SEED: optionalStringVar(),

  PUSH_STALL_MS: intVar(45_000, { min: 1000, max: HOUR_MS }),
  WATCH_ROOMS: roomListVar(),
  ROOM_LINGER_MS: intVar(30_000, { min: 0, max: 24 * HOUR_MS }),
  STATUS_POLL_MS: intVar(30_000, { min: 1000, max: HOUR_MS }),
  GIFT_COMBO_IDLE_MS: intVar(15_000, { min: 100, max: HOUR_MS }),

  DATA_DIR: stringVar('./data'),
  DATABASE_URL: optionalUrlVar(['postgres', 'postgresql']),
  PGLITE_SHARED_BUFFERS_MB: intVar(16, { min: 1, max: 16_384 }),
  RECORD_DIR: optionalStringVar(),
  RETENTION_DAYS: intVar(30, { min: 0, max: 36_500 }),

  REDIS_URL: optionalUrlVar(['redis', 'rediss']),
  REDIS_PREFIX: stringVar('douyin-live:'),
  HOLE_FILL_MS: intVar(500, { min: 1, max: 60_000 }),
  INSTANCE_ID: optionalStringVar(),
  LEASE_TTL_MS: intVar(10_000, { min: 1_000, max: 600_000 }),

  API_TOKENS_FILE: optionalStringVar(),
  CORS_ORIGINS: listVar(),

  MAX_QUERY_DEPTH: intVar(12, POSITIVE),
  MAX_QUERY_COST: intVar(10_000, POSITIVE),
  MAX_RESPONSE_BYTES: intVar(4 * 1024 * 1024, { min: 1024, max: 1024 * 1024 * 1024 }),
  MAX_ALIASES: intVar(30, POSITIVE),
  MAX_TOKENS: intVar(2000, POSITIVE),
  SUBSCRIBER_BUFFER: intVar(1000, POSITIVE),
  RATE_LIMIT_PER_MIN: intVar(600, POSITIVE),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: intVar(50, POSITIVE),
  MAX_SUBSCRIPTIONS_PER_TOKEN: intVar(200, POSITIVE),
  PERSISTED_OPERATIONS: enumVar(['off', 'allow', 'only'], 'off'),

  WEBHOOK_ALLOW_PRIVATE: enumVar(['true', 'false'], 'false'),
  WEBHOOK_RETRY_MAX_MS: intVar(24 * HOUR_MS, { min: 1, max: 30 * 24 * HOUR_MS }),
  WEBHOOK_RETRY_BASE_MS: intVar(5_000, { min: 1, max: HOUR_MS }),
  WEBHOOK_RETRY_CAP_MS: intVar(HOUR_MS, { min: 1, max: 24 * HOUR_MS }),
  WEBHOOK_CONNECT_TIMEOUT_MS: intVar(5_000, { min: 100, max: 60_000 }),
  WEBHOOK_RESPONSE_TIMEOUT_MS: intVar(10_000, { min: 100, max: 300_000 }),
  WEBHOOK_POLL_MS: intVar(1_000, { min: 10, max: HOUR_MS }),
});

type ParsedEnv = z.infer<typeof envSchema>;

/** Rules that span variables; they read the raw env so they report even when a field failed. */
function crossProblems(env: Env): ConfigProblem[] {
  const set = (name: string) => (env[name]?.trim() ?? '') !== '';
  const problems: ConfigProblem[] = [];
  if (set('REDIS_URL') && !set('DATABASE_URL')) {
    problems.push({
      variable: 'REDIS_URL without DATABASE_URL',
      message:
        'instances sharing Redis but each keeping its own embedded store would deliver every event once per instance; ' +
        'set DATABASE_URL to the PostgreSQL all instances share, or unset REDIS_URL to run one instance',
    });
  }
  if (set('DOUYIN_SIGN_URL') && set('DOUYIN_SIGN_SCRIPT')) {
    problems.push({
      variable: 'DOUYIN_SIGN_URL + DOUYIN_SIGN_SCRIPT',
      message: 'set one signer, not both (an external service or a script file)',
    });
  }
  return problems;
}

function signerOf(env: ParsedEnv): SignerConfig {
  const timeoutMs = env.DOUYIN_SIGN_TIMEOUT_MS;
  if (env.DOUYIN_SIGN_URL !== null) return { kind: 'service', url: env.DOUYIN_SIGN_URL, timeoutMs };
  if (env.DOUYIN_SIGN_SCRIPT !== null) return { kind: 'script', path: env.DOUYIN_SIGN_SCRIPT, timeoutMs };
  return { kind: 'none' };
}

function toConfig(env: ParsedEnv): Config {
  return {
    server: { port: env.PORT, host: env.HOST, logLevel: env.LOG_LEVEL, drainMs: env.DRAIN_MS },
    webhooks: {
      allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === 'true',
      retryMaxMs: env.WEBHOOK_RETRY_MAX_MS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      retryCapMs: env.WEBHOOK_RETRY_CAP_MS,
      connectTimeoutMs: env.WEBHOOK_CONNECT_TIMEOUT_MS,
      responseTimeoutMs: env.WEBHOOK_RESPONSE_TIMEOUT_MS,
      pollMs: env.WEBHOOK_POLL_MS,
    },
    upstream: {
      mode: env.DOUYIN_UPSTREAM,
      webUrl: env.DOUYIN_WEB_URL ?? DEFAULT_WEB_URL,
      reflowUrl: env.DOUYIN_WEB_URL ?? DEFAULT_REFLOW_URL,
      cookie: env.DOUYIN_COOKIE,
      signer: signerOf(env),
      httpsProxy: env.HTTPS_PROXY,
      pool: {
        cookiesFile: env.DOUYIN_COOKIES,
        proxiesFile: env.DOUYIN_PROXIES,
        quarantineMs: env.DOUYIN_POOL_QUARANTINE_MS,
        maxQuarantineMs: Math.max(env.DOUYIN_POOL_QUARANTINE_MS, env.DOUYIN_POOL_QUARANTINE_MAX_MS),
        sessionWatch: env.DOUYIN_POOL_SILENT_MS === 0 ? null : { silentMs: env.DOUYIN_POOL_SILENT_MS, busyViewers: env.DOUYIN_POOL_BUSY_VIEWERS },
      },
      httpTimeoutMs: env.HTTP_TIMEOUT_MS,
      httpRetries: env.HTTP_RETRIES,
      ratePerSec: env.UPSTREAM_RATE_PER_SEC,
      rateBurst: env.UPSTREAM_RATE_BURST,
      cache: {
        maxBytes: env.UPSTREAM_CACHE_MAX_BYTES,
        roomMs: env.UPSTREAM_CACHE_ROOM_MS,
        statusMs: env.UPSTREAM_CACHE_STATUS_MS,
        ranksMs: env.UPSTREAM_CACHE_RANKS_MS,
        promotionsMs: env.UPSTREAM_CACHE_PROMOTIONS_MS,
      },
      queuePerCaller: env.UPSTREAM_QUEUE_PER_CALLER,
      queueDeadlineMs: env.UPSTREAM_QUEUE_DEADLINE_MS,
      callsPerRequest: env.UPSTREAM_CALLS_PER_REQUEST,
      simulator: { port: env.SIMULATOR_PORT, seed: env.SIMULATOR_SEED },
    },
    push: {
      url: env.DOUYIN_PUSH_URL,
      stallMs: env.PUSH_STALL_MS,
      watchRooms: env.WATCH_ROOMS,
      lingerMs: env.ROOM_LINGER_MS,
      statusPollMs: env.STATUS_POLL_MS,
      giftComboIdleMs: env.GIFT_COMBO_IDLE_MS,
    },
    store: {
      dataDir: env.DATA_DIR,
      databaseUrl: env.DATABASE_URL,
      pgliteSharedBuffersMb: env.PGLITE_SHARED_BUFFERS_MB,
      recordDir: env.RECORD_DIR,
      retentionDays: env.RETENTION_DAYS,
    },
    bus: { redisUrl: env.REDIS_URL, redisPrefix: env.REDIS_PREFIX, holeFillMs: env.HOLE_FILL_MS },
    fleet: { instanceId: env.INSTANCE_ID ?? `${hostname()}-${process.pid}`, leaseTtlMs: env.LEASE_TTL_MS },
    security: { apiTokensFile: env.API_TOKENS_FILE, corsOrigins: env.CORS_ORIGINS },
    limits: {
      maxQueryDepth: env.MAX_QUERY_DEPTH,
      maxQueryCost: env.MAX_QUERY_COST,
      maxResponseBytes: env.MAX_RESPONSE_BYTES,
      maxAliases: env.MAX_ALIASES,
      maxTokens: env.MAX_TOKENS,
      subscriberBuffer: env.SUBSCRIBER_BUFFER,
      rateLimitPerMin: env.RATE_LIMIT_PER_MIN,
      maxSubscriptionsPerConnection: env.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxSubscriptionsPerToken: env.MAX_SUBSCRIPTIONS_PER_TOKEN,
      persistedOperations: env.PERSISTED_OPERATIONS,
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Proxies are conventionally spelled in either case; the upper-case one wins. */
function withProxyAlias(env: Env): Env {
  return env.HTTPS_PROXY === undefined && env.https_proxy !== undefined ? { ...env, HTTPS_PROXY: env.https_proxy } : env;
}

/** Parses and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const source = withProxyAlias(env);
  const parsed = envSchema.safeParse(source);
  const problems: ConfigProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), message: issue.message }));
  problems.push(...crossProblems(source));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return deepFreeze(toConfig(parsed.data));
}
