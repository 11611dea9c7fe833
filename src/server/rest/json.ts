// The vendor's JSON carries 64-bit ids as bare numbers ("room_id": 6843198199583378191). A JS
// number cannot hold them, so ids travel as JsonInt (decimal digits) and this serializer writes
// the digits as a number literal: byte-for-byte what the vendor sent, with no precision lost.
// (JSON.rawJSON would do it, but Node 20 lacks it.) Clients that parse with plain JSON.parse
// lose precision exactly as they did with the vendor; every such id also has an *_str twin
// or a string form where the vendor had one.

import { quoteUnsafeIntegers } from '../../domain/mappers/json/parse.ts';

export class JsonInt {
  readonly digits: string;

  constructor(digits: string) {
    if (!/^-?(0|[1-9][0-9]*)$/.test(digits)) throw new TypeError(`not a decimal integer: ${JSON.stringify(digits)}`);
    this.digits = digits;
  }
}

/** An id as a JSON number literal; ids that are not plain decimals stay strings; absent is 0. */
export function idLiteral(id: string | null | undefined): JsonInt | string {
  if (id === null || id === undefined || id === '') return new JsonInt('0');
  return /^(0|[1-9][0-9]*)$/.test(id) ? new JsonInt(id) : id;
}

export type VendorJson = string | number | boolean | null | JsonInt | readonly VendorJson[] | { readonly [key: string]: VendorJson | undefined };

export function stringifyVendorJson(value: VendorJson | undefined): string {
  return write(value) ?? 'null';
}

function write(value: VendorJson | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 'null';
  if (value instanceof JsonInt) return value.digits;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (Array.isArray(value)) return `[${value.map((item: VendorJson | undefined) => write(item) ?? 'null').join(',')}]`;
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value as { readonly [key: string]: VendorJson | undefined })) {
    const text = write(item);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

const INT_MARK = '\u0000int:';

/** Douyin's JSON text as VendorJson: integers beyond 2^53 become JsonInt, so they go out exact. */
export function parseVendorJson(text: string): VendorJson {
  const marked = quoteUnsafeIntegers(text, '\\u0000int:');
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(INT_MARK) ? new JsonInt(value.slice(INT_MARK.length)) : value,
  ) as VendorJson;
}

type VendorObject = { readonly [key: string]: VendorJson | undefined };

function isObject(value: VendorJson | undefined): value is VendorObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonInt);
}

/** Douyin's JSON wins; what it lacks comes from the domain-derived shape underneath. */
export function overDomain(domain: VendorJson, upstream: VendorJson | undefined): VendorJson {
  if (upstream === undefined) return domain;
  if (!isObject(domain) || !isObject(upstream)) return upstream;
  const merged: Record<string, VendorJson | undefined> = {};
  for (const [key, value] of Object.entries(upstream)) merged[key] = domain[key] === undefined ? value : overDomain(domain[key], value);
  for (const [key, value] of Object.entries(domain)) if (!(key in merged)) merged[key] = value;
  return merged;
}
