// The typed configuration every layer receives. One interface per feature, so a module is
// handed only the part it uses (e.g. the HTTP client takes `config.upstream`).

export type UpstreamMode = 'simulator' | 'live';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type PersistedOperationsMode = 'off' | 'allow' | 'only';

export type SignerConfig =
  | { kind: 'none' }
  /** An external signing service: POST JSON, answer JSON (see src/collectors/signer/external.ts). */
  | { kind: 'service'; url: string; timeoutMs: number }
  /** A user-supplied script run in a node:vm context (see src/collectors/signer/script.ts). */
  | { kind: 'script'; path: string; timeoutMs: number };

export interface ServerConfig {
  port: number;
  host: string;
  logLevel: LogLevel;
  /** On SIGTERM, how long /ready answers 503 while everything is still served, before clients are told to go. */
  drainMs: number;
}

export interface SimulatorConfig {
  /** 0 = a random free port, chosen when the gateway starts its built-in simulator. */
  port: number;
  seed: string | null;
}

export interface UpstreamConfig {
  mode: UpstreamMode;
  /** Base of every live.douyin.com call. */
  webUrl: string;
  /**
   * Base of reflow (room by room_id). Douyin serves it from webcast.amemv.com; when
   * DOUYIN_WEB_URL is set it equals webUrl, so one stand-in serves every HTTP call.
   */
  reflowUrl: string;
  /** A logged-in Douyin cookie. Secret: never logged. */
  cookie: string | null;
  signer: SignerConfig;
  httpsProxy: string | null;
  pool: UpstreamPoolConfig;
  httpTimeoutMs: number;
  /** Retries after the first attempt, for idempotent calls. */
  httpRetries: number;
  /** Token bucket per upstream host: sustained requests per second and burst size. */
  ratePerSec: number;
  rateBurst: number;
  cache: UpstreamCacheConfig;
  /** Fair share per caller: calls one caller may have queued, the longest wait before UPSTREAM_BUSY, calls per request. */
  queuePerCaller: number;
  queueDeadlineMs: number;
  callsPerRequest: number;
  simulator: SimulatorConfig;
}

/**
 * Several cookies and proxies (src/collectors/pool/): files with one entry per line. With neither
 * file the gateway uses DOUYIN_COOKIE and HTTPS_PROXY alone and quarantines nothing.
 */
export interface UpstreamPoolConfig {
  cookiesFile: string | null;
  proxiesFile: string | null;
  /** The first quarantine of a refused pair; each further one in a row doubles, up to the max. */
  quarantineMs: number;
  maxQuarantineMs: number;
  /**
   * Douyin's quiet refusals (collectors/pool/session-watch.ts): how long a live session may bring
   * nothing (or, logged in and busy, no gift); null turns the judgement off.
   */
  sessionWatch: { silentMs: number; busyViewers: number } | null;
}

/** The upstream response cache (src/collectors/cache/): a size bound and a freshness per kind of answer; 0 turns one off. */
export interface UpstreamCacheConfig {
  maxBytes: number;
  /** Room info (enter, reflow). */
  roomMs: number;
  /** Live status (check_alive). */
  statusMs: number;
  ranksMs: number;
  promotionsMs: number;
}

export interface PushConfig {
  /** Scheme and host of the push WebSocket; the path /webcast/im/push/v2/ is appended. */
  url: string;
  /** A connection with no inbound frame for this long is considered dead and reconnected. */
  stallMs: number;
  /** Rooms (room ids or web_rids) recorded continuously, watched or not. */
  watchRooms: readonly string[];
  /** How long a room's collector stays up after its last watcher leaves. */
  lingerMs: number;
  /** How often rooms waiting to go live are checked (50 per call, spread over the interval). */
  statusPollMs: number;
  /** A gift combo with no message for this long is final, even without repeat_end. */
  giftComboIdleMs: number;
}

export interface StoreConfig {
  dataDir: string;
  /** PostgreSQL; the embedded store under dataDir when null. Its password is secret. */
  databaseUrl: string | null;
  /** The embedded store's shared_buffers, MiB: most of its resident memory (PGlite's own default is 160). */
  pgliteSharedBuffersMb: number;
  /** Where raw push frames are recorded; recording is off when null. */
  recordDir: string | null;
  /** Events older than this are deleted; 0 keeps them forever. */
  retentionDays: number;
}

export interface BusConfig {
  /** Redis for several gateway instances; in-process when null. */
  redisUrl: string | null;
  /** Prefix of every Redis channel and key: instances share rooms only with those using the same one. */
  redisPrefix: string;
  /**
   * How long a subscriber holds a later event waiting for a missing earlier one before it reads
   * the hole from the store; also the store poll interval while the bus is down.
   */
  holeFillMs: number;
}

/** Several instances on one PostgreSQL: who collects which room. */
export interface FleetConfig {
  /** Names this instance in logs, metrics and the instance registry. */
  instanceId: string;
  /**
   * How long a room lease lasts unless renewed (by the database's clock): an owner that dies is
   * replaced within this plus about a second.
   */
  leaseTtlMs: number;
}

export interface SecurityConfig {
  /** File of API tokens; the API is open when null. */
  apiTokensFile: string | null;
  /** Allowed browser origins; ['*'] allows any. Empty = no CORS headers. */
  corsOrigins: readonly string[];
}

export interface LimitsConfig {
  maxQueryDepth: number;
  maxQueryCost: number;
  /** A serialized result over this is replaced by RESPONSE_TOO_LARGE. */
  maxResponseBytes: number;
  maxAliases: number;
  maxTokens: number;
  /** Events queued per subscriber before the slowest are dropped. */
  subscriberBuffer: number;
  /** Requests per minute per token (or per address when the API is open). */
  rateLimitPerMin: number;
  maxSubscriptionsPerConnection: number;
  maxSubscriptionsPerToken: number;
  persistedOperations: PersistedOperationsMode;
}

export interface WebhookConfig {
  /** Allow targets on loopback, private and link-local addresses (off: such targets are refused). */
  allowPrivate: boolean;
  /** How long a delivery is retried before it becomes a dead letter. */
  retryMaxMs: number;
  /** Full-jitter backoff: the wait before retry n is uniform in [0, min(cap, base·2^n)]. */
  retryBaseMs: number;
  retryCapMs: number;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  /** How often the outbox is checked for due deliveries (new ones are sent at once). */
  pollMs: number;
}

export interface Config {
  server: ServerConfig;
  webhooks: WebhookConfig;
  upstream: UpstreamConfig;
  push: PushConfig;
  store: StoreConfig;
  bus: BusConfig;
  fleet: FleetConfig;
  security: SecurityConfig;
  limits: LimitsConfig;
}

export type Env = Record<string, string | undefined>;
