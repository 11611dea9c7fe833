// Serves the dashboard: its HTML page at /dashboard and /dashboard/rooms/:roomId, and the
// script bundle built by `npm run build` (scripts/build-dashboard.mjs). The page carries no data:
// everything it shows comes over GraphQL, behind the same tokens as any client.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import { BUNDLE_PATH, dashboardHtml } from './html.ts';

/** Where `npm run build` writes the bundle: <package root>/dist/dashboard. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../dist/dashboard/', import.meta.url));
export const BUNDLE_FILE = 'dashboard.js';

const PAGE_PATH = /^\/dashboard(?:\/|\/rooms\/\d{17,20}\/?)?$/;

export interface DashboardOptions {
  /** The folder holding dashboard.js. */
  dir?: string;
}

export function useDashboard(options: DashboardOptions = {}): Plugin {
  const dir = options.dir ?? DEFAULT_DASHBOARD_DIR;
  const html = dashboardHtml();
  let bundle: Promise<Buffer> | null = null;
  const serveBundle = async (endResponse: (response: Response) => void): Promise<void> => {
    bundle ??= readFile(join(dir, BUNDLE_FILE)).catch((error: unknown) => {
      bundle = null;
      throw error;
    });
    try {
      const body = await bundle;
      endResponse(new Response(new Uint8Array(body), { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' } }));
    } catch {
      endResponse(new Response('the dashboard is not built: run `npm run build` (npm start does it)', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
    }
  };
  return {
    // Not async: every GraphQL request passes through here, and an async hook would cost each of them a promise and a turn of the microtask queue.
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/dashboard' && !url.pathname.startsWith('/dashboard/')) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new Response('method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      if (url.pathname === BUNDLE_PATH) return serveBundle(endResponse);
      if (!PAGE_PATH.test(url.pathname)) {
        endResponse(new Response('not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        return;
      }
      endResponse(new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' } }));
    },
  };
}
