// zod field builders for environment variables. Every one treats an empty string as unset
// (`FOO=` in a shell or compose file means "no value") and reports what it got, so the
// error list tells the operator exactly which text to fix.
import { z } from 'zod';
import { parseRoomRef } from '../domain/ids.ts';
import { parseProxyUrl } from '../collectors/proxy/proxy-url.ts';

const raw = () => z.string().optional();

function present(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text === undefined || text === '' ? undefined : text;
}

export function intVar(fallback: number, range: { min: number; max: number }) {
  return raw().transform((value, ctx) => {
    const text = present(value);
    if (text === undefined) return fallback;
    const n = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number from ${range.min} to ${range.max}, got "${text}"` });
      return z.NEVER;
    }
    return n;
  });
}

/** A positive number that may have a fraction (rates such as 0.5 requests per second). */
export function numberVar(fallback: number, range: { min: number; max: number }) {
  return raw().transform((value, ctx) => {
    const text = present(value);
    if (text === undefined) return fallback;
    const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isFinite(n) || n < range.min || n > range.max) {
      ctx.addIssue({ code: 'custom', message: `expected a number from ${range.min} to ${range.max}, got "${text}"` });
      return z.NEVER;
    }
    return n;
  });
}

export function enumVar<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return raw().transform((value, ctx): T[number] => {
    const text = present(value)?.toLowerCase();
    if (text === undefined) return fallback;
    if (!(values as readonly string[]).includes(text)) {
      ctx.addIssue({ code: 'custom', message: `expected one of ${values.join(', ')}, got "${value}"` });
      return z.NEVER;
    }
    return text as T[number];
  });
}

function checkUrl(text: string, protocols: readonly string[], ctx: z.RefinementCtx): string | typeof z.NEVER {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: `expected a URL (${protocols.join(' or ')}), got "${text}"` });
    return z.NEVER;
  }
  const scheme = url.protocol.slice(0, -1);
  if (!protocols.includes(scheme)) {
    ctx.addIssue({ code: 'custom', message: `expected a ${protocols.join(' or ')} URL, got scheme "${scheme}"` });
    return z.NEVER;
  }
  return text.replace(/\/+$/, '');
}

/** A URL without a trailing slash, or null when unset. */
export function optionalUrlVar(protocols: readonly string[]) {
  return raw().transform((value, ctx): string | null => {
    const text = present(value);
    return text === undefined ? null : checkUrl(text, protocols, ctx);
  });
}

export function urlVar(fallback: string, protocols: readonly string[]) {
  return raw().transform((value, ctx): string => {
    const text = present(value);
    return text === undefined ? fallback : checkUrl(text, protocols, ctx);
  });
}

export function optionalStringVar() {
  return raw().transform((value) => present(value) ?? null);
}

export function stringVar(fallback: string) {
  return raw().transform((value) => present(value) ?? fallback);
}

/** A header value: a newline in it would let a config value inject headers. */
export function optionalHeaderVar() {
  return raw().transform((value, ctx): string | null => {
    const text = present(value);
    if (text === undefined) return null;
    if (/[\r\n\0]/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'must be a single line (it is sent as an HTTP header)' });
      return z.NEVER;
    }
    return text;
  });
}

export function listVar() {
  return raw().transform((value): string[] =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}

/** Comma-separated room ids (17+ digits) or web_rids (up to 16 digits). */
export function roomListVar() {
  return listVar().transform((items, ctx): string[] => {
    const bad = items.filter((item) => parseRoomRef(item) === null);
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected comma-separated room ids or web_rids (decimal digits), got ${bad.map((b) => `"${b}"`).join(', ')}`,
      });
      return z.NEVER;
    }
    return [...new Set(items)];
  });
}

/** A proxy URL: http(s):// (CONNECT) or socks5(h):// ; the error never echoes a password. */
export function optionalProxyVar() {
  return raw().transform((value, ctx): string | null => {
    const text = present(value);
    if (text === undefined) return null;
    try {
      parseProxyUrl(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
    return text;
  });
}
