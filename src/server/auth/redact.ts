// Masks secrets (API tokens, Douyin cookies, bearer headers) before text reaches a log line or
// an error message. Applied to strings and, recursively, to objects.

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
];

const API_TOKEN = /\bdlg_([0-9a-f]{12})_[A-Za-z0-9_-]{6,}/g;
const BEARER = /\b(Bearer)\s+[^\s"',;]+/gi;
const HEADER_LINE = /\b((?:set-)?cookie|authorization|access-token)(\s*[:=]\s*)("?)[^\r\n"]*\3/gi;
const NAME_VALUE = new RegExp(`(^|[?&;,\\s"'{])(${SECRET_NAMES.map(escapeRegExp).join('|')})=([^&;,\\s"'}]*)`, 'gi');

/** Object keys whose whole value is a secret. */
const SECRET_KEY = /^(token|access[-_]?token|api[-_]?token|authorization|cookie|set-cookie|password|secret|apitoken|douyin[-_]?cookie|connectionparams)$/i;

export function redactString(text: string): string {
  return text
    .replace(API_TOKEN, `dlg_$1_${REDACTED}`)
    .replace(HEADER_LINE, (_all, name: string, separator: string, quote: string) => `${name}${separator}${quote}${REDACTED}${quote}`)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(NAME_VALUE, (_all, lead: string, name: string) => `${lead}${name}=${REDACTED}`);
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
    copy[key] = SECRET_KEY.test(key) && item !== null && item !== undefined && item !== '' ? REDACTED : redactInner(item, seen);
  }
  return copy;
}

/** A request URL fit for an access log: secret query values masked. */
export function redactUrl(url: string): string {
  return redactString(url);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
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
