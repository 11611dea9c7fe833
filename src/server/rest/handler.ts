// The vendor-compatible REST API as one fetch-style handler. It answers only its own paths and
// returns null for everything else, so it can sit in front of yoga. Per request: route and
// method, token, rate limit, parameters (all checked before any upstream call), then the route.
import type { DouyinApi } from '../../collectors/douyin-api.ts';
import type { EventStore } from '../../store/event-store.ts';
import { AUTH_FAILURE_MESSAGES, type TokenAuthenticator } from '../auth/authenticator.ts';
import { corsPreflightResponse, corsResponseHeaders, type CorsPolicy } from '../auth/cors.ts';
import { tokenFromVendorRequest } from '../auth/extract.ts';
import { rateLimitKey, type RateLimiter } from '../auth/rate-limiter.ts';
import { postParams } from './body.ts';
import { ChatSessions } from './chat-sessions.ts';
import { errorResponse, successResponse } from './envelope.ts';
import { toVendorError, VendorError } from './errors.ts';
import { OPENAPI_PATH, VENDOR_OPENAPI_TEXT } from './openapi.ts';
import { chatRoute } from './routes/chat.ts';
import { promotionsRoute } from './routes/commerce.ts';
import { audienceRoute, rankListRoute, roomRankListPostRoute } from './routes/rank.ts';
import { feedRoute, roomInfoRoute, roomStatusRoute } from './routes/room.ts';
import type { Route } from './routes/route.ts';

export const VENDOR_ROUTES: ReadonlyMap<string, Route> = new Map([
  ['/douyin/liveroom/info', roomInfoRoute],
  ['/douyin/liveroom/chat', chatRoute],
  ['/douyin/liveroom/promotions', promotionsRoute],
  ['/douyin/liveroom/status', roomStatusRoute],
  ['/douyin/liveroom/audience', audienceRoute],
  ['/douyin/liveroom/feed', feedRoute],
  ['/douyin/liveroom/ranklist', rankListRoute],
  ['/dy/live/get_room_ranklist', roomRankListPostRoute],
]);

export interface VendorRestDeps {
  douyin: DouyinApi;
  rooms: { watch(roomId: string): () => void };
  /** The event store; /chat answers 503 without one. */
  history: Pick<EventStore, 'listEvents' | 'latestCursor'> | null;
  auth: TokenAuthenticator;
  rateLimiter: RateLimiter;
  /** Adds CORS headers and answers preflights. Leave out when yoga's CORS plugin already covers these responses. */
  cors?: CorsPolicy | null;
  now?: () => number;
  chat?: { idleMs?: number; maxSessions?: number; pageSize?: number };
  /** Unexpected failures (answered as 500/503 with a masked message). Log them redacted. */
  onError?: (error: unknown, info: { path: string }) => void;
}

export interface VendorRequestContext {
  /** The caller's IP, for per-address rate limits when the API runs open. */
  clientAddress?: string | null;
}

export interface VendorRestHandler {
  (request: Request, context?: VendorRequestContext): Promise<Response | null>;
  /** Whether a path is one of this handler's (it answers null for every other), decided without parsing a URL or making a promise. */
  handles(pathname: string): boolean;
  /** Releases the rooms held by chat polling; call on shutdown. */
  close(): void;
}

export function createVendorRestHandler(deps: VendorRestDeps): VendorRestHandler {
  const now = deps.now ?? Date.now;
  const chat = deps.history === null ? null : new ChatSessions({ rooms: deps.rooms, history: deps.history, ...deps.chat });

  const handle = async (request: Request, context: VendorRequestContext = {}): Promise<Response | null> => {
    const url = new URL(request.url, 'http://localhost');
    const path = routePath(url.pathname);
    const route = VENDOR_ROUTES.get(path);
    if (route === undefined && path !== OPENAPI_PATH) return null;
    const cors = deps.cors ? corsResponseHeaders(deps.cors, request.headers.get('origin')) : {};
    if (request.method === 'OPTIONS' && deps.cors) return corsPreflightResponse(deps.cors, request);
    if (route === undefined) return openApiResponse(request, cors);
    try {
      if (request.method !== route.method) {
        throw new VendorError(405, 'METHOD_NOT_ALLOWED', `${path} takes ${route.method}`, { Allow: route.method });
      }
      const auth = deps.auth.authenticate(tokenFromVendorRequest(request));
      if (!auth.ok) throw new VendorError(401, auth.code, AUTH_FAILURE_MESSAGES[auth.code], { 'WWW-Authenticate': 'Bearer' });
      const callerKey = rateLimitKey(auth.tokenId, context.clientAddress);
      const rate = await deps.rateLimiter.take(callerKey);
      if (!rate.ok) {
        throw new VendorError(429, 'TOO_MANY_REQUESTS', `too many requests: retry in ${rate.retryAfterSeconds} s`, {
          'Retry-After': String(rate.retryAfterSeconds),
        });
      }
      const params = route.method === 'GET' ? url.searchParams : await postParams(request, url);
      const data = await route.run({ params, callerKey, now: now(), douyin: deps.douyin, chat });
      return successResponse(route.envelope, data, cors);
    } catch (caught) {
      const { error, unexpected } = toVendorError(caught);
      if (unexpected) deps.onError?.(caught, { path });
      return errorResponse(error, cors);
    }
  };

  return Object.assign(handle, { close: () => chat?.close(), handles });
}

/** A route's path: trailing slashes do not matter. */
function routePath(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.replace(/\/+$/, '') : pathname;
}

function handles(pathname: string): boolean {
  const path = routePath(pathname);
  return VENDOR_ROUTES.has(path) || path === OPENAPI_PATH;
}

/** The OpenAPI document: public like /health (see openapi.ts), so no token and no rate limit. */
function openApiResponse(request: Request, cors: Record<string, string>): Response {
  if (request.method !== 'GET') {
    return errorResponse(new VendorError(405, 'METHOD_NOT_ALLOWED', `${OPENAPI_PATH} takes GET`, { Allow: 'GET' }), cors);
  }
  return new Response(VENDOR_OPENAPI_TEXT, {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache', ...cors },
  });
}
