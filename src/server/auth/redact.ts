// Masks secrets (API tokens, Douyin cookies, bearer headers, URL passwords) before text reaches
// a log line, an error message or the start-up config dump. Applied to strings and, recursively,
// to objects. Names are compared after percent-decoding: the server decodes `?%74oken=` to
// `token` before it authenticates, so the redactor must see the same name.

export const REDACTED = '[redacted]';

/** Query/cookie names whose values are secrets: ours and Douyin's login/session cookies. */
const SECRET_NAMES = [
  'token',
  'access_token',
  'access-token',
  'api_token',
  'sessionid',
  'sessionid_ss',
  'sid_tt',
  'sid_guard',
  'uid_tt',
  'uid_tt_ss',
  'sid_ucp_v1',
  'ssid_ucp_v1',
  'passport_csrf_token',
  'passport_auth_status',
  'odin_tt',
  'ttwid',
  'msToken',
  'password',
  'sslpassword',
  'secret',
  'key',
  'apikey',
  'api_key',
  'signature',
];

const API_TOKEN = /\bdlg_([0-9a-f]{12})_[A-Za-z0-9_-]{6,}/g;
const BEARER = /\b(Bearer)\s+[^\s"',;]+/gi;
const HEADER_LINE = /\b((?:set-)?cookie|authorization|access-token)(\s*[:=]\s*)("?)[^\r\n"]*\3/gi;
/** Any `name=value` pair; the replacer decides by the decoded name whether the value is a secret. */
const NAME_VALUE = /(^|[?&;,\s"'{])([^=?&;,\s"'{}]+)=([^&;,\s"'}]*)/g;
const SECRET_NAME_SET = new Set(SECRET_NAMES.map((name) => name.toLowerCase()));

/** Object keys whose whole value is a secret. */
const SECRET_KEY = /^(token|access[-_]?token|api[-_]?token|authorization|cookie|set-cookie|password|secret|apitoken|douyin[-_]?cookie|connectionparams)$/i;

export function redactString(text: string): string {
  return text
    .replace(API_TOKEN, `dlg_$1_${REDACTED}`)
    .replace(HEADER_LINE, (_all, name: string, separator: string, quote: string) => `${name}${separator}${quote}${REDACTED}${quote}`)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(NAME_VALUE, (all, lead: string, name: string, value: string) => (isSecretPair(name, value) ? `${lead}${name}=${REDACTED}` : all));
}

/** True when the pair's decoded name is a secret's, or its decoded value holds an API token. */
function isSecretPair(name: string, value: string): boolean {
  if (SECRET_NAME_SET.has(decodeName(name))) return true;
  const decoded = decodeComponent(value);
  return decoded !== value && redactString(decoded) !== decoded;
}

/** What the server sees: `+` as a space, percent escapes decoded, case folded. */
function decodeName(name: string): string {
  return decodeComponent(name).trim().toLowerCase();
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** A deep copy with secret-named keys masked and every string scrubbed; cycles become "[circular]". */
export function redactValue(value: unknown): unknown {
  return redactInner(value, new WeakSet());
}

function redactInner(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactInner(item, seen));
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: redactString(value.message), ...(code === undefined ? {} : { code }) };
  }
  if (value instanceof URL) return redactString(value.toString());
  if (typeof Headers !== 'undefined' && value instanceof Headers) {
    return redactInner(Object.fromEntries(value.entries()), seen);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_KEY.test(decodeComponent(key).trim()) && item !== null && item !== undefined && item !== '' ? REDACTED : redactInner(item, seen);
  }
  return copy;
}

/**
 * A URL fit for a log line or the config dump: its password and secret query values masked (by
 * decoded name), user name, host and path kept readable. Takes a whole URL or a path with a query.
 */
export function redactUrl(url: string): string;
export function redactUrl(url: string | null): string | null;
export function redactUrl(url: string | null): string | null {
  if (url === null) return null;
  const withoutPassword = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/i, `$1:${REDACTED}@`);
  return redactString(withoutPassword);
}

/** An error fit for a log line: name, code, and message and stack with secrets masked. */
export function redactError(error: unknown): unknown {
  if (!(error instanceof Error)) return redactValue(error);
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: redactString(error.message),
    ...(code === undefined ? {} : { code }),
    ...(error.stack === undefined ? {} : { stack: redactString(error.stack) }),
  };
}
