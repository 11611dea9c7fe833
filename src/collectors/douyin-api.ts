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
}
