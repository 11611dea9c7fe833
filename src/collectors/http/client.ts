// DouyinApi over HTTP: Douyin's web endpoints (or a stand-in at the same paths), each answer
// mapped to the domain model by the pure JSON mappers.
import type { Gift, LiveRoom, LiveStatus, PromotionList, RankList } from '../../domain/model.ts';
import {
  checkEnvelope,
  mapCheckAlive,
  mapEnterBody,
  mapFeed,
  mapGiftList,
  mapPromotions,
  mapRankList,
  mapReflowBody,
  parseUpstreamJson,
  type Mapped,
} from '../../domain/mappers/json/index.ts';
import type { UpstreamResponseCache } from '../cache/response-cache.ts';
import { cacheTags } from '../cache/tags.ts';
import type { Answer, DouyinAnswers, DouyinApi, ImBootstrap, ImFetchApi, PromotionQuery, RankListQuery } from '../douyin-api.ts';
import { blocked, loginRequired, roomNotFound, unavailable } from '../errors.ts';
import { noSigner } from '../signer/none.ts';
import type { Signer } from '../signer/signer.ts';
import { DEFAULT_PROFILE, randomVisitorId, type BrowserProfile } from './browser-profile.ts';
import type { RawResponse } from './classify.ts';
import { decodeImFetch } from './im-fetch.ts';
import { noObserver, type UpstreamCallObserver } from './observer.ts';
import { permanent, singleRoute, UpstreamRequester, type RequestSpec, type RouteSource, type UpstreamRoute } from './requester.ts';
import { PoolRoutes } from '../pool/pool-routes.ts';
import type { PoolPair, UpstreamPool } from '../pool/upstream-pool.ts';
import type { ProxySpec } from '../proxy/proxy-url.ts';
import {
  checkAliveQuery,
  enterQuery,
  feedQuery,
  giftListQuery,
  imFetchQuery,
  PATHS,
  promotionsQuery,
  rankListQuery,
  reflowQuery,
} from './requests.ts';
import { chunks } from '../chunks.ts';
import { HostRateLimiter, realSleep } from './token-bucket.ts';
import { TtwidStore } from './ttwid.ts';
import { webRootSetCookies } from './web-root.ts';

/** check_alive takes at most this many ids per call. */
export const CHECK_ALIVE_BATCH = 50;

export interface DouyinHttpClientOptions {
  webUrl: string;
  /** Reflow's base (webcast.amemv.com on Douyin; the stand-in's URL otherwise). */
  reflowUrl: string;
  cookie?: string | null;
  signer?: Signer;
  timeoutMs: number;
  retries: number;
  ratePerSec: number;
  rateBurst: number;
  /** Fair share of the host's tokens per caller (see token-bucket.ts); unbounded when unset. */
  queuePerCaller?: number;
  queueDeadlineMs?: number;
  profile?: BrowserProfile;
  observer?: UpstreamCallObserver;
  /** Answers kept for a freshness window per endpoint; every call goes upstream without it. */
  cache?: UpstreamResponseCache;
  /** An undici Dispatcher for HTTPS_PROXY (see proxy.ts). */
  dispatcher?: unknown;
  /**
   * Cookie + proxy pairs (DOUYIN_COOKIES, DOUYIN_PROXIES): each call goes through a healthy pair
   * instead of `cookie` and `dispatcher`, and a refused pair is quarantined.
   */
  pool?: UpstreamPool;
  /** The dispatcher for a pool pair's proxy. */
  proxyDispatcher?: (proxy: ProxySpec) => unknown;
  /** The visitor id sent to im/fetch; random per client by default. */
  visitorId?: string;
  ttwidTtlMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  maxRetryAfterMs?: number;
  // Injectable for tests.
  fetch?: typeof globalThis.fetch;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const EMPTY_BODY = 'HTTP 200 with an empty body (risk control: missing ttwid or a_bogus, or a flagged address)';
const HOUR_MS = 3_600_000;

function unwrap<T>(result: Mapped<T>, what: string): T {
  if (result.ok) return result.value;
  const { signal } = result;
  switch (signal.kind) {
    case 'NOT_FOUND':
      throw roomNotFound(what);
    case 'LOGIN_REQUIRED':
      throw loginRequired(what);
    case 'UPSTREAM_STATUS':
      throw unavailable(`status_code ${signal.statusCode} (${signal.message})`);
    case 'BAD_SHAPE':
      throw permanent(unavailable(`unexpected answer: ${signal.message}`));
  }
}

function parsed(text: string): unknown {
  try {
    return parseUpstreamJson(text);
  } catch (error) {
    throw permanent(unavailable('the answer is not JSON', error));
  }
}

function json(raw: RawResponse): unknown {
  return parsed(new TextDecoder().decode(raw.body));
}

/** The body mapped by `map`, kept beside its mapping as the text it arrived as. */
function answer<T>(raw: RawResponse, map: (body: unknown) => T): Answer<T> {
  const text = new TextDecoder().decode(raw.body);
  return { value: map(parsed(text)), json: text };
}

/** The response cache's name for the {value, json} reading of a body (beside 'model'). */
const ANSWER_VIEW = 'answer';

export class DouyinHttpClient implements DouyinApi, ImFetchApi {
  private readonly requester: UpstreamRequester;
  private readonly profile: BrowserProfile;
  private readonly cookie: string | null;
  private readonly pool: UpstreamPool | null;
  readonly visitorId: string;

  constructor(private readonly options: DouyinHttpClientOptions) {
    const random = options.random ?? Math.random;
    const now = options.now ?? (() => performance.now());
    const sleep = options.sleep ?? realSleep;
    const observer = options.observer ?? noObserver;
    this.profile = options.profile ?? DEFAULT_PROFILE;
    this.cookie = options.cookie ?? null;
    this.visitorId = options.visitorId ?? randomVisitorId(random);
    const transport = {
      fetch: options.fetch ?? globalThis.fetch,
      limiter: new HostRateLimiter({
        ratePerSec: options.ratePerSec,
        burst: options.rateBurst,
        maxQueuedPerCaller: options.queuePerCaller,
        queueDeadlineMs: options.queueDeadlineMs,
        now,
        sleep,
      }),
      timeoutMs: options.timeoutMs,
      dispatcher: options.dispatcher,
    };
    // Each route gets its own ttwid, fetched through its own proxy: Douyin ties it to the visitor.
    const route = (id: string | null, cookie: string | null, dispatcher: unknown): UpstreamRoute => ({
      id,
      cookie,
      dispatcher,
      ttwid: new TtwidStore({
        now,
        ttlMs: options.ttwidTtlMs ?? 6 * HOUR_MS,
        retryMs: 5 * 60_000,
        fetchSetCookies: webRootSetCookies({ transport: { ...transport, dispatcher }, webUrl: options.webUrl, userAgent: this.profile.userAgent, observer, now }),
      }),
    });
    this.pool = options.pool ?? null;
    const routes: RouteSource =
      options.pool === undefined
        ? singleRoute(route(null, this.cookie, options.dispatcher))
        : new PoolRoutes(options.pool, (pair: PoolPair) =>
            route(pair.id, pair.cookie, pair.proxy === null ? undefined : options.proxyDispatcher?.(pair.proxy)),
          );
    this.requester = new UpstreamRequester({
      transport,
      profile: this.profile,
      routes,
      signer: options.signer ?? noSigner,
      retries: options.retries,
      backoff: { baseMs: options.backoffBaseMs ?? 250, capMs: options.backoffCapMs ?? 8000 },
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
      observer,
      cache: options.cache,
      random,
      sleep,
      now,
    });
  }

  /** No cookie anywhere: Douyin answers some calls (rank lists) to logged-in visitors only. */
  private anonymous(): boolean {
    return this.pool === null ? this.cookie === null : !this.pool.hasCookies();
  }

  private spec<T>(fields: Omit<RequestSpec<T>, 'base' | 'referer' | 'signed' | 'idempotent' | 'onEmpty'> & Partial<RequestSpec<T>>): RequestSpec<T> {
    return {
      base: this.options.webUrl,
      referer: `${this.options.webUrl}/`,
      signed: false,
      idempotent: true,
      onEmpty: () => {
        throw blocked(EMPTY_BODY);
      },
      ...fields,
    };
  }

  /**
   * Douyin's JSON beside its mapping, for the vendor routes. Same endpoints, request keys and
   * cache tags as the domain methods below: with the response cache on, GraphQL and the vendor
   * routes share one upstream call and one stored body (read as two views of it).
   */
  readonly answers: DouyinAnswers = {
    roomByWebRid: (webRid) =>
      this.requester.request(
        this.spec({
          endpoint: 'room.enter',
          key: `enter:${webRid}`,
          path: PATHS.enter,
          query: enterQuery(webRid, this.profile),
          referer: `${this.options.webUrl}/${webRid}`,
          signed: true,
          read: (raw) => answer(raw, (body) => unwrap(mapEnterBody(body, webRid), `web_rid ${webRid}`)),
          cache: { view: ANSWER_VIEW, tags: (answered) => [cacheTags.room(answered.value.id)] },
        }),
      ),
    roomByRoomId: (roomId) =>
      this.requester.request(
        this.spec({
          endpoint: 'room.reflow',
          key: `reflow:${roomId}`,
          base: this.options.reflowUrl,
          path: PATHS.reflow,
          query: reflowQuery(roomId),
          read: (raw) => answer(raw, (body) => unwrap(mapReflowBody(body, roomId), `room_id ${roomId}`)),
          cache: { view: ANSWER_VIEW, tags: () => [cacheTags.room(roomId)] },
        }),
      ),
    rankList: (query) => {
      const anonymous = this.anonymous();
      return this.requester.request(
        this.spec({
          endpoint: 'ranklist.audience',
          key: `ranklist:${query.roomId}:${query.anchorId ?? ''}:${query.secAnchorId ?? ''}`,
          path: PATHS.rankList,
          query: rankListQuery(query, this.profile),
          signed: true,
          read: (raw) => answer(raw, (body) => unwrap(mapRankList(body, query.roomId), `the rank list of room ${query.roomId}`)),
          cache: { view: ANSWER_VIEW, tags: () => [cacheTags.ranks(query.roomId)] },
          onEmpty: () => {
            throw anonymous ? loginRequired('the rank list') : blocked(EMPTY_BODY);
          },
          emptyMayBeStaleTtwid: !anonymous,
        }),
      );
    },
    promotions: (query) =>
      this.requester.request(
        this.spec({
          endpoint: 'promotions.pop',
          key: `promotions:${query.roomId}:${query.authorId}`,
          path: PATHS.promotions,
          query: promotionsQuery(query, this.profile),
          signed: true,
          read: (raw) => answer(raw, (body) => unwrap(mapPromotions(body, query.roomId), `the products of room ${query.roomId}`)),
          cache: { view: ANSWER_VIEW, tags: () => [cacheTags.promotions(query.roomId)] },
          onEmpty: () => ({ value: { roomId: query.roomId, promotions: [], currentPromotionId: null, total: 0 }, json: null }),
          emptyMayBeStaleTtwid: false,
        }),
      ),
    feed: () =>
      this.requester.request(
        this.spec({
          endpoint: 'feed',
          key: 'feed',
          path: PATHS.feed,
          query: feedQuery(this.profile),
          read: (raw) => answer(raw, (body) => unwrap(mapFeed(body), 'the feed')),
        }),
      ),
  };

  roomByWebRid(webRid: string): Promise<LiveRoom> {
    return this.requester.request(
      this.spec({
        endpoint: 'room.enter',
        key: `enter:${webRid}`,
        path: PATHS.enter,
        query: enterQuery(webRid, this.profile),
        referer: `${this.options.webUrl}/${webRid}`,
        signed: true,
        read: (raw) => unwrap(mapEnterBody(json(raw), webRid), `web_rid ${webRid}`),
        cache: { tags: (room) => [cacheTags.room(room.id)] },
      }),
    );
  }

  roomByRoomId(roomId: string): Promise<LiveRoom> {
    return this.requester.request(
      this.spec({
        endpoint: 'room.reflow',
        key: `reflow:${roomId}`,
        base: this.options.reflowUrl,
        path: PATHS.reflow,
        query: reflowQuery(roomId),
        read: (raw) => unwrap(mapReflowBody(json(raw), roomId), `room_id ${roomId}`),
        cache: { tags: () => [cacheTags.room(roomId)] },
      }),
    );
  }

  /**
   * The anchor's current (or last) broadcast by their sec_uid: reflow asked with sec_user_id and
   * no room_id. Its room carries owner.web_rid, which is what anchors are followed by.
   */
  roomBySecUid(secUid: string): Promise<LiveRoom> {
    return this.requester.request(
      this.spec({
        endpoint: 'room.reflow',
        key: `reflow-anchor:${secUid}`,
        base: this.options.reflowUrl,
        path: PATHS.reflow,
        query: reflowQuery('', secUid),
        read: (raw) => unwrap(mapReflowBody(json(raw), `of sec_uid ${secUid}`), `sec_uid ${secUid}`),
        cache: { tags: (room) => [cacheTags.room(room.id)] },
      }),
    );
  }

  /** One call per 50 ids, all in parallel; ids Douyin does not mention are reported not live. */
  async liveStatus(roomIds: readonly string[]): Promise<LiveStatus[]> {
    const unique = [...new Set(roomIds)];
    const answers = await Promise.all(chunks(unique, CHECK_ALIVE_BATCH).map((batch) => this.checkAlive(batch)));
    const alive = new Map(answers.flat().map((status) => [status.roomId, status.isLive]));
    return unique.map((roomId) => ({ roomId, isLive: alive.get(roomId) ?? false }));
  }

  private checkAlive(batch: readonly string[]): Promise<LiveStatus[]> {
    return this.requester.request(
      this.spec({
        endpoint: 'room.checkAlive',
        key: `check_alive:${[...batch].sort().join(',')}`,
        path: PATHS.checkAlive,
        query: checkAliveQuery(batch, this.profile),
        read: (raw) => unwrap(mapCheckAlive(json(raw)), `rooms ${batch.join(',')}`),
        cache: { tags: () => batch.map(cacheTags.status) },
      }),
    );
  }

  rankList(query: RankListQuery): Promise<RankList> {
    const anonymous = this.anonymous();
    return this.requester.request(
      this.spec({
        endpoint: 'ranklist.audience',
        key: `ranklist:${query.roomId}:${query.anchorId ?? ''}:${query.secAnchorId ?? ''}`,
        path: PATHS.rankList,
        query: rankListQuery(query, this.profile),
        signed: true,
        read: (raw) => unwrap(mapRankList(json(raw), query.roomId), `the rank list of room ${query.roomId}`),
        cache: { tags: () => [cacheTags.ranks(query.roomId)] },
        // Since 2026-10 Douyin answers anonymous rank-list calls with nothing (protocol §6.4).
        onEmpty: () => {
          throw anonymous ? loginRequired('the rank list') : blocked(EMPTY_BODY);
        },
        emptyMayBeStaleTtwid: !anonymous,
      }),
    );
  }

  promotions(query: PromotionQuery): Promise<PromotionList> {
    return this.requester.request(
      this.spec({
        endpoint: 'promotions.pop',
        key: `promotions:${query.roomId}:${query.authorId}`,
        path: PATHS.promotions,
        query: promotionsQuery(query, this.profile),
        signed: true,
        read: (raw) => unwrap(mapPromotions(json(raw), query.roomId), `the products of room ${query.roomId}`),
        cache: { tags: () => [cacheTags.promotions(query.roomId)] },
        // pop/v3 answers an empty body for a room without goods (protocol §2.4).
        onEmpty: () => ({ roomId: query.roomId, promotions: [], currentPromotionId: null, total: 0 }),
        emptyMayBeStaleTtwid: false,
      }),
    );
  }

  feed(): Promise<LiveRoom[]> {
    return this.requester.request(
      this.spec({ endpoint: 'feed', key: 'feed', path: PATHS.feed, query: feedQuery(this.profile), read: (raw) => unwrap(mapFeed(json(raw)), 'the feed') }),
    );
  }

  giftCatalog(roomId?: string): Promise<Gift[]> {
    return this.requester.request(
      this.spec({
        endpoint: 'gift.list',
        key: `gifts:${roomId ?? ''}`,
        path: PATHS.giftList,
        query: giftListQuery(roomId, this.profile),
        read: (raw) => unwrap(mapGiftList(json(raw)), 'the gift list'),
        cache: { tags: () => [] },
      }),
    );
  }

  /** `route`: the pool pair the room's push connection will use, so both go as one visitor. */
  imFetch(roomId: string, route: string | null = null): Promise<ImBootstrap> {
    return this.requester.request(
      this.spec({
        endpoint: 'im.fetch',
        key: `im_fetch:${roomId}:${route ?? ''}`,
        route,
        path: PATHS.imFetch,
        query: imFetchQuery({ roomId, userUniqueId: this.visitorId }, this.profile),
        signed: true,
        // Each call opens a fetch session on Douyin's side; a repeat gets an empty body.
        idempotent: false,
        read: (raw) => this.readImFetch(raw, roomId),
      }),
    );
  }

  private readImFetch(raw: RawResponse, roomId: string): ImBootstrap {
    if ((raw.headers.get('content-type') ?? '').includes('json')) {
      unwrap(checkEnvelope(json(raw)), `room_id ${roomId}`);
      throw permanent(unavailable('im/fetch answered JSON instead of protobuf'));
    }
    try {
      return decodeImFetch(raw.body, roomId, this.visitorId);
    } catch (error) {
      throw permanent(unavailable('im/fetch answered bytes that are not a webcast Response', error));
    }
  }

  /** Headers for the push WebSocket handshake (protocol §3.1): same UA and cookie as HTTP. */
  async pushHeaders(webRid?: string | null, route: string | null = null): Promise<Record<string, string>> {
    const { header } = await this.requester.cookieHeader(route);
    const headers: Record<string, string> = {
      'User-Agent': this.profile.userAgent,
      Origin: this.options.webUrl,
      Referer: `${this.options.webUrl}/${webRid ?? ''}`,
    };
    if (header !== null) headers.Cookie = header;
    return headers;
  }

  get userAgent(): string {
    return this.profile.userAgent;
  }
}
