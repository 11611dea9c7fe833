// Helpers for calling the gateway as a vendor-API client would: a real token file, and a JSON
// reader that keeps 64-bit ids exact (the vendor writes them as bare numbers).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addToken, revokeToken } from '../../../src/server/auth/token-admin.ts';

export interface TokenFile {
  file: string;
  /** Adds a token named `name` and returns it (what `npm run tokens -- add` prints). */
  add(name: string, scope?: 'read' | 'write'): string;
  revoke(token: string): void;
  cleanup(): void;
}

export function tokenFile(): TokenFile {
  const dir = mkdtempSync(join(tmpdir(), 'dlg-e2e-tokens-'));
  const file = join(dir, 'tokens.json');
  return {
    file,
    add: (name, scope = 'read') => addToken(file, name, new Date(), scope).token,
    revoke: (token) => void revokeToken(file, token.split('_')[1] as string),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** JSON.parse with every integer of 16+ digits kept as its exact decimal string. */
export function parseVendorJson(text: string): any {
  return JSON.parse(text.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
}

export interface VendorResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function vendorCall(url: string, init: RequestInit = {}): Promise<VendorResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseVendorJson(text), text };
}
