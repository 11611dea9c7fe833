// Which browser origins may call the gateway (CORS_ORIGINS). An empty list sends no CORS
// headers at all; any origin is allowed only when `*` is listed explicitly.

export interface CorsPolicy {
  readonly anyOrigin: boolean;
  /** Normalized origins (scheme://host[:port]), without `*`. */
  readonly origins: readonly string[];
  allows(origin: string | null | undefined): boolean;
}

export class CorsConfigError extends Error {
  readonly code = 'BAD_CORS_ORIGIN';

  constructor(entry: string) {
    super(`CORS_ORIGINS entry ${JSON.stringify(entry)} is not an origin such as https://app.example.com (or *)`);
    this.name = 'CorsConfigError';
  }
}

/** Throws CorsConfigError for an entry that is not `*` or a bare origin. */
export function createCorsPolicy(entries: readonly string[]): CorsPolicy {
  let anyOrigin = false;
  const origins = new Set<string>();
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (entry === '*') {
      anyOrigin = true;
      continue;
    }
    const origin = normalizeOrigin(entry);
    if (origin === null) throw new CorsConfigError(entry);
    origins.add(origin);
  }
  const list = Object.freeze([...origins]);
  return {
    anyOrigin,
    origins: list,
    allows(origin) {
      if (origin === null || origin === undefined || origin === '') return false;
      if (anyOrigin) return true;
      const normalized = normalizeOrigin(origin);
      return normalized !== null && origins.has(normalized);
    },
  };
}

function normalizeOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // An entry with a path, query or credentials is a mistake worth refusing, not trimming.
  const bare = text.replace(/\/$/, '').toLowerCase();
  return url.origin === bare ? url.origin : null;
}

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Access-Token, Content-Type';
const PREFLIGHT_MAX_AGE_SECONDS = '600';
/** Browsers hide response headers from scripts unless exposed; clients need these two. */
const EXPOSED_HEADERS = 'Retry-After, X-Error-Code';

/** Headers for an actual (non-preflight) response; empty when the origin is not allowed. */
export function corsResponseHeaders(policy: CorsPolicy, origin: string | null): Record<string, string> {
  if (!policy.allows(origin)) return {};
  if (policy.anyOrigin) return { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED_HEADERS };
  return { 'Access-Control-Allow-Origin': origin as string, 'Access-Control-Expose-Headers': EXPOSED_HEADERS, Vary: 'Origin' };
}

/** Answer to an OPTIONS preflight: 204, with CORS headers only for an allowed origin. */
export function corsPreflightResponse(policy: CorsPolicy, request: Request): Response {
  const origin = request.headers.get('origin');
  const headers = corsResponseHeaders(policy, origin);
  if (Object.keys(headers).length > 0) {
    Object.assign(headers, {
      'Access-Control-Allow-Methods': ALLOWED_METHODS,
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_SECONDS,
    });
  }
  return new Response(null, { status: 204, headers });
}

/**
 * The value for createYoga({ cors }). Yoga treats an empty origin list as "allow all", so an
 * empty policy must become `false`, never `{ origin: [] }`.
 */
export function yogaCorsOptions(policy: CorsPolicy):
  | false
  | { origin: string | string[]; methods: string[]; allowedHeaders: string[]; exposedHeaders: string[]; credentials: false; maxAge: number } {
  if (!policy.anyOrigin && policy.origins.length === 0) return false;
  return {
    origin: policy.anyOrigin ? '*' : [...policy.origins],
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Access-Token', 'Content-Type'],
    exposedHeaders: EXPOSED_HEADERS.split(', '),
    // Tokens travel in headers, never cookies: browsers need not send credentials.
    credentials: false,
    maxAge: Number(PREFLIGHT_MAX_AGE_SECONDS),
  };
}
