// The vendor's envelope: {code, data, msg}. GET routes answer code 200 / msg "success" (the
// liveroom samples); the POST route answers code 0 / msg "成功" (its own doc: 0 success, -1
// failure). Failures are {code: -1, msg, data: null} on every route, with a real HTTP status.
import { redactString } from '../auth/redact.ts';
import type { VendorError } from './errors.ts';
import { stringifyVendorJson, type VendorJson } from './json.ts';

export type EnvelopeStyle = 'liveroom' | 'dy';

const SUCCESS: Record<EnvelopeStyle, { code: number; msg: string }> = {
  liveroom: { code: 200, msg: 'success' },
  dy: { code: 0, msg: '成功' },
};

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

export function successResponse(style: EnvelopeStyle, data: VendorJson, headers: Record<string, string> = {}): Response {
  const { code, msg } = SUCCESS[style];
  return new Response(stringifyVendorJson({ code, data, msg }), { status: 200, headers: { ...JSON_HEADERS, ...headers } });
}

/** The stable code rides in a header so clients can switch on it without parsing msg. */
export function errorResponse(error: VendorError, headers: Record<string, string> = {}): Response {
  const body = { code: -1, msg: redactString(error.message), data: null };
  return new Response(stringifyVendorJson(body), {
    status: error.status,
    headers: { ...JSON_HEADERS, 'X-Error-Code': error.code, ...error.headers, ...headers },
  });
}

/** The `{data, extra: {now}, status_code: 0}` wrapper Douyin puts around its payload. */
export function douyinBody(data: VendorJson, now: number): VendorJson {
  return { data, extra: { now }, status_code: 0 };
}
