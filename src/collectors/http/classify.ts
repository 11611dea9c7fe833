// What an HTTP answer means before its body is read as data (protocol §6.5): Douyin signals
// risk control with a 200 and no body, captcha headers or an acrawler HTML page, not with a
// status code.
import { blocked, rateLimited, unavailable, type UpstreamError } from '../errors.ts';
import { parseRetryAfter } from './retry.ts';

export interface RawResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export type Classified =
  | { kind: 'ok' }
  /** 200 with no body: risk control, or a stale ttwid; the caller decides which. */
  | { kind: 'empty' }
  /** permanent: another attempt would get the same answer. */
  | { kind: 'failed'; error: UpstreamError; permanent: boolean };

const CAPTCHA_HEADERS = ['x-vc-bdturing-parameters', 'bdturing-verify'];
const ACRAWLER_MARKERS = ['__ac_nonce', '_$jsvmprt', 'byted_acrawler'];
const SNIFF_BYTES = 4096;

const failed = (error: UpstreamError, permanent: boolean): Classified => ({ kind: 'failed', error, permanent });

function looksLikeChallenge(body: Uint8Array): boolean {
  const head = new TextDecoder().decode(body.subarray(0, SNIFF_BYTES)).trimStart();
  return head.startsWith('<') && ACRAWLER_MARKERS.some((marker) => head.includes(marker));
}

export function classifyResponse(raw: RawResponse, nowMs: number): Classified {
  const { status, headers } = raw;
  if (status === 429) return failed(rateLimited(parseRetryAfter(headers.get('retry-after'), nowMs)), false);
  if (CAPTCHA_HEADERS.some((name) => headers.has(name))) return failed(blocked('captcha required (bdturing verify)'), true);
  if (headers.has('x-tt-verify-passport-decision')) return failed(blocked('account verification required'), true);
  if (status >= 500) return failed(unavailable(`HTTP ${status}`), false);
  if (status === 403) return failed(blocked('HTTP 403'), true);
  if (status === 408) return failed(unavailable('HTTP 408 (request timeout)'), false);
  if (status >= 400) return failed(unavailable(`HTTP ${status}`), true);
  if (status < 200 || status >= 300) return failed(unavailable(`unexpected HTTP ${status}`), true);
  if (raw.body.byteLength === 0) return { kind: 'empty' };
  if (looksLikeChallenge(raw.body)) return failed(blocked('acrawler challenge page (__ac_nonce)'), true);
  return { kind: 'ok' };
}
