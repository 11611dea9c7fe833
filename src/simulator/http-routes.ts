// Douyin's upstream HTTP endpoints (protocol §2, §7) with their paths, parameters, cookies,
// status codes and JSON shapes. Each handler turns a request into a Reply; faults, logging
// and the socket are the HTTP server's business.
import type { Clock } from './clock.ts';
import { fetchInternalExt, cursorSeq, formatCursor, roomCursorPosition } from './cursor.ts';
import { encodeResponse } from './frame-encoder.ts';
import { newDeviceId, newMsToken, newTtLogId, newTtwid } from './ids.ts';
import { toJson } from './json.ts';
import { checkAliveBody } from './json-builders/check-alive.ts';
import type { BuildContext } from './json-builders/context.ts';
import { enterBody } from './json-builders/enter.ts';
import { notLoggedIn, roomNotFound } from './json-builders/envelope.ts';
import { feedBody } from './json-builders/feed.ts';
import { giftListBody } from './json-builders/gifts.ts';
import { promotionsBody } from './json-builders/promotions.ts';
import { rankListBody } from './json-builders/rank.ts';
import { reflowBody } from './json-builders/reflow.ts';
import type { Prng } from './prng.ts';
import type { SimRoom } from './room.ts';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export interface UpstreamRequest {
  method: string;
  url: URL;
  cookies: Record<string, string>;
  /** The request body (check_alive also accepts a form POST). */
  body: string;
}

export interface RoomDirectory {
  byRoomId(roomId: string): SimRoom | undefined;
  /** The anchor's current broadcast, else their most recent one. */
  byWebRid(webRid: string): SimRoom | undefined;
  /** The same, by the anchor's sec_uid. */
  bySecUid(secUid: string): SimRoom | undefined;
  liveRooms(): SimRoom[];
}

export interface RouteOptions {
  /** Endpoints Douyin signs (a_bogus) answer an empty body when the parameter is missing. */
  requireSignature: boolean;
  /** Anonymous rank-list calls get an empty body (Douyin since 2026-10). */
  rankListRequiresLogin: boolean;
}

export interface RouteDeps {
  clock: Clock;
  prng: Prng;
  baseUrl(): string;
  pushUrl(): string;
  rooms: RoomDirectory;
  options: RouteOptions;
}

type Handler = (request: UpstreamRequest, deps: RouteDeps) => Reply;

const FEED_SIZE = 20;
const IM_FETCH_PERSISTED = 15;

function buildContext(deps: RouteDeps): BuildContext {
  return { nowMs: deps.clock.now(), baseUrl: deps.baseUrl() };
}

function jsonReply(deps: RouteDeps, body: unknown, extraHeaders: Record<string, string> = {}): Reply {
  return {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-tt-logid': newTtLogId(deps.prng, deps.clock.now()),
      'x-ms-token': newMsToken(deps.prng),
      ...extraHeaders,
    },
    body: toJson(body),
  };
}

/** HTTP 200, content-length 0: what Douyin answers when risk control rejects a call. */
export function emptyReply(): Reply {
  return { status: 200, headers: { 'content-length': '0' }, body: '' };
}

/** Douyin's captcha: an empty 200 whose bdturing headers carry the verify request (protocol §6.5). */
export function captchaReply(): Reply {
  const verify = JSON.stringify({ code: 10000, type: 'verify', subtype: 'whirl', log_id: '2026120601000000000000000000', fp: 'verify_sim' });
  return {
    status: 200,
    headers: { 'content-length': '0', 'bdturing-verify': verify, 'x-vc-bdturing-parameters': verify, 'access-control-expose-headers': 'Bdturing-Verify, X-Vc-Bdturing-Parameters' },
    body: '',
  };
}

/** The acrawler challenge: an HTML page that sets __ac_nonce and runs a script (protocol §6.5). */
export function challengeReply(): Reply {
  const body = '<html><head><meta charset="UTF-8"></head><body><script>document.cookie="__ac_nonce=0693bb0a000f1a1b2c3d4; path=/";</script><script src="/_$jsvmprt.js"></script></body></html>';
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

function notFoundReply(deps: RouteDeps): Reply {
  return jsonReply(deps, roomNotFound(deps.clock.now()), { 'bd-tt-error-code': '4001038' });
}

function unsigned(request: UpstreamRequest, deps: RouteDeps): boolean {
  return deps.options.requireSignature && !request.url.searchParams.get('a_bogus');
}

function param(request: UpstreamRequest, name: string): string {
  return request.url.searchParams.get(name)?.trim() ?? '';
}

function withTtwid(request: UpstreamRequest, deps: RouteDeps, reply: Reply): Reply {
  if (request.cookies.ttwid) return reply;
  const ttwid = newTtwid(deps.prng, deps.clock.now());
  return { ...reply, headers: { ...reply.headers, 'set-cookie': `ttwid=${ttwid}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax` } };
}

function htmlReply(html: string): Reply {
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
}

const home: Handler = (request, deps) =>
  withTtwid(request, deps, htmlReply('<!DOCTYPE html><html><head><meta charset="utf-8"><title>抖音直播</title></head><body></body></html>'));

/** The room page: sets ttwid and carries the SSR state the web client reads the room from. */
const roomPage: Handler = (request, deps) => {
  const webRid = request.url.pathname.slice(1);
  const room = deps.rooms.byWebRid(webRid);
  const state = {
    app: {
      initialState: {
        roomStore: {
          roomInfo: room
            ? {
                roomId: room.id,
                web_rid: room.webRid,
                room: { id_str: room.id, status: room.isLive ? 2 : 4, title: room.model.title },
                anchor: { id_str: room.model.anchor.id, sec_uid: room.model.anchor.secUid, nickname: room.model.anchor.nickname },
              }
            : {},
        },
        userStore: { odin: { user_unique_id: newDeviceId(deps.prng) } },
      },
    },
  };
  const title = room ? `${room.model.anchor.nickname}的抖音直播间 - 抖音直播` : '抖音直播';
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><script id="RENDER_DATA" type="application/json">${encodeURIComponent(JSON.stringify(state))}</script></body></html>`;
  return withTtwid(request, deps, htmlReply(html));
};

const enter: Handler = (request, deps) => {
  // Douyin answers an anonymous call without ttwid with 200 and nothing in it.
  if (!request.cookies.ttwid || unsigned(request, deps)) return emptyReply();
  const room = deps.rooms.byWebRid(param(request, 'web_rid'));
  if (!room) return notFoundReply(deps);
  return jsonReply(deps, enterBody(buildContext(deps), room.model));
};

const reflow: Handler = (request, deps) => {
  // Without a room_id, reflow is asked for the anchor (sec_user_id): their current or last room.
  const roomId = param(request, 'room_id');
  const secUid = param(request, 'sec_user_id');
  const room = roomId === '' && secUid !== '' ? deps.rooms.bySecUid(secUid) : deps.rooms.byRoomId(roomId);
  if (!room) return notFoundReply(deps);
  return jsonReply(deps, reflowBody(buildContext(deps), room.model));
};

const checkAlive: Handler = (request, deps) => {
  const fromForm = request.method === 'POST' ? new URLSearchParams(request.body).get('room_ids') : null;
  const list = (fromForm ?? param(request, 'room_ids'))
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const valid = list.filter((id) => /^\d{1,20}$/.test(id));
  return jsonReply(deps, checkAliveBody(deps.clock.now(), valid, (id) => deps.rooms.byRoomId(id)?.isLive ?? false));
};

const rankList: Handler = (request, deps) => {
  if (unsigned(request, deps)) return emptyReply();
  if (deps.options.rankListRequiresLogin && !request.cookies.sessionid) return emptyReply();
  const room = deps.rooms.byRoomId(param(request, 'room_id'));
  if (!room) return notFoundReply(deps);
  // Fans-club data is filled for the anchor named by uid or by sec_uid (the POST route's sec_anchor_id).
  const secAnchorId = param(request, 'sec_anchor_id');
  const anchorId = param(request, 'anchor_id') || (secAnchorId !== '' && secAnchorId === room.model.anchor.secUid ? room.model.anchor.id : '');
  return jsonReply(deps, rankListBody(buildContext(deps), room.model, anchorId === '' ? null : anchorId));
};

/** Douyin answers an empty body when the room has no goods (or is unknown to it). */
const promotions: Handler = (request, deps) => {
  if (unsigned(request, deps)) return emptyReply();
  const room = deps.rooms.byRoomId(param(request, 'room_id'));
  const authorId = param(request, 'author_id');
  if (!room || room.model.products.length === 0 || (authorId !== '' && authorId !== room.model.anchor.id)) return emptyReply();
  return jsonReply(deps, promotionsBody(buildContext(deps), room.model));
};

/** A fresh random sample of live rooms on every call, as Douyin's feed has no paging. */
const feed: Handler = (_request, deps) => {
  const rooms = deps.rooms.liveRooms().map((room) => room.model);
  for (let i = rooms.length - 1; i > 0; i--) {
    const j = deps.prng.int(0, i);
    [rooms[i], rooms[j]] = [rooms[j] as (typeof rooms)[number], rooms[i] as (typeof rooms)[number]];
  }
  return jsonReply(deps, feedBody(buildContext(deps), rooms.slice(0, FEED_SIZE)));
};

const giftList: Handler = (_request, deps) => jsonReply(deps, giftListBody(buildContext(deps)));

const userMe: Handler = (request, deps) => {
  if (!request.cookies.sessionid) return jsonReply(deps, notLoggedIn(deps.clock.now()));
  return jsonReply(deps, { data: { id_str: '0', nickname: '' }, extra: { now: deps.clock.now() }, status_code: 0 });
};

/**
 * The polling/bootstrap endpoint: a protobuf Response with recent messages (or those after
 * `cursor`), the cursor to resume from, internal_ext with the device id to use on the push
 * connection, and where that connection goes.
 */
const imFetch: Handler = (request, deps) => {
  if (unsigned(request, deps)) return emptyReply();
  const now = deps.clock.now();
  const roomId = param(request, 'room_id');
  const room = deps.rooms.byRoomId(roomId);
  const deviceId = newDeviceId(deps.prng);
  const internalExt = fetchInternalExt(roomId, deviceId, now, `7${deps.prng.digits(18)}`);
  const since = room ? cursorSeq(room.id, param(request, 'cursor'), room.lastSeq) : null;
  const messages = !room ? [] : since === null ? room.recent(IM_FETCH_PERSISTED) : room.messagesAfter(since).messages;
  const position = room ? roomCursorPosition(room.id, room.lastSeq) : 1n;
  const body = encodeResponse(
    messages.map((m) => m.envelope),
    { cursor: formatCursor(now, position), nowMs: now, internalExt, needAck: false, fetchInterval: 1000, heartbeatDuration: 0, pushServer: deps.pushUrl() },
  );
  return { status: 200, headers: { 'content-type': 'application/protobuffer', 'x-tt-logid': newTtLogId(deps.prng, now) }, body };
};

/** Placeholder pictures for avatars, covers and gift icons: a colour from the path. */
const image: Handler = (request) => {
  let hash = 0;
  for (const char of request.url.pathname) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const color = `#${(hash & 0xffffff).toString(16).padStart(6, '0')}`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="${color}"/></svg>`;
  return { status: 200, headers: { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=86400' }, body: svg };
};

const ROUTES: ReadonlyMap<string, Handler> = new Map([
  ['/', home],
  ['/webcast/room/web/enter/', enter],
  ['/webcast/room/reflow/info/', reflow],
  ['/webcast/room/check_alive/', checkAlive],
  ['/webcast/ranklist/audience/', rankList],
  ['/live/promotions/pop/v3/', promotions],
  ['/webcast/feed/', feed],
  ['/webcast/gift/list/', giftList],
  ['/webcast/user/me/', userMe],
  ['/webcast/im/fetch/', imFetch],
]);

export function findUpstreamRoute(pathname: string): Handler | undefined {
  const exact = ROUTES.get(pathname);
  if (exact) return exact;
  if (/^\/\d{6,16}$/.test(pathname)) return roomPage;
  if (pathname.startsWith('/img/')) return image;
  return undefined;
}

export function notFound(): Reply {
  return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'not found' };
}
