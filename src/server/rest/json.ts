// The vendor's JSON carries 64-bit ids as bare numbers ("room_id": 6843198199583378191). A JS
// number cannot hold them, so ids travel as JsonInt (decimal digits) and this serializer writes
// the digits as a number literal: byte-for-byte what the vendor sent, with no precision lost.
// (JSON.rawJSON would do it, but Node 20 lacks it.) Clients that parse with plain JSON.parse
// lose precision exactly as they did with the vendor; every such id also has an *_str twin
// or a string form where the vendor had one.

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
