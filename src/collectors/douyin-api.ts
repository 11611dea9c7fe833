// What the layers above ask of Douyin over HTTP. The HTTP client implements it against Douyin
// or the simulator (same protocol); tests may count its calls. Every method throws
// UpstreamError on failure.
import type { Gift, LiveRoom, LiveStatus, PromotionList, RankList } from '../domain/model.ts';

export interface RankListQuery {
  roomId: string;
  /** The anchor's uid: Douyin needs it for fans-club data. */
  anchorId?: string | null;
  secAnchorId?: string | null;
}

export interface PromotionQuery {
  roomId: string;
  /** The anchor's uid. */
  authorId: string;
}

/**
 * One upstream answer: its domain mapping and the JSON Douyin sent. Both come from one call, so
 * a cache in front of the HTTP client holds one entry for GraphQL and the vendor routes alike.
 */
export interface Answer<T> {
  /** The domain model: the only thing GraphQL reads. */
  value: T;
  /** Douyin's JSON text as it arrived (64-bit numbers intact); null when Douyin sent no body. */
  json: string | null;
}

/** The calls whose JSON the vendor REST routes pass on, each answering with that JSON. */
export interface DouyinAnswers {
  roomByWebRid(webRid: string): Promise<Answer<LiveRoom>>;
  roomByRoomId(roomId: string): Promise<Answer<LiveRoom>>;
  rankList(query: RankListQuery): Promise<Answer<RankList>>;
  promotions(query: PromotionQuery): Promise<Answer<PromotionList>>;
  feed(): Promise<Answer<LiveRoom[]>>;
}

export interface DouyinApi {
  /** The anchor's current (or last) broadcast, by the anchor's fixed web_rid. */
  roomByWebRid(webRid: string): Promise<LiveRoom>;
  /** A broadcast by its 19-digit room_id; works for ended rooms too. */
  roomByRoomId(roomId: string): Promise<LiveRoom>;
  /** Live status of many rooms; the client splits into calls of at most 50 ids. */
  liveStatus(roomIds: readonly string[]): Promise<LiveStatus[]>;
  rankList(query: RankListQuery): Promise<RankList>;
  promotions(query: PromotionQuery): Promise<PromotionList>;
  /** A fresh random sample of live rooms (Douyin's feed has no paging). */
  feed(): Promise<LiveRoom[]>;
  giftCatalog(roomId?: string): Promise<Gift[]>;
  /**
   * The same calls with Douyin's JSON beside the mapping (the same upstream request, not
   * another), for the vendor routes. The HTTP client has it; a double without upstream JSON
   * leaves it out, and the vendor routes then answer from the domain model alone.
   */
  readonly answers?: DouyinAnswers;
}

/** What the push connection needs before it connects: the im/fetch bootstrap (protocol §2.5, §3.5). */
export interface ImBootstrap {
  roomId: string;
  cursor: string;
  internalExt: string;
  /** push_server_v2, else push_server, else proxy_server, as Douyin sent it; null when none. */
  pushServer: string | null;
  /**
   * The visitor id for the push URL and its signature stub: internal_ext's wss_push_did when
   * Douyin assigned one (the value it checks), else the id the client sent.
   */
  userUniqueId: string;
  /** Server time, ms. */
  now: number;
  /** Seconds, as Douyin sends it; 0 when absent. */
  heartbeatDuration: number;
  fetchInterval: number;
  /** The raw Response: its first batch of messages, for the decoder. */
  response: Uint8Array;
}

export interface ImFetchApi {
  /** One im/fetch call; not retried (Douyin answers immediate repeats with an empty body). */
  imFetch(roomId: string): Promise<ImBootstrap>;
}
