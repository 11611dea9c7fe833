// Upstream Douyin JSON → the domain model. Pure functions; the HTTP client is their only caller.
export { parseUpstreamJson, quoteUnsafeIntegers } from './parse.ts';
export { checkEnvelope, STATUS_ROOM_NOT_FOUND, type Mapped, type UpstreamSignal } from './envelope.ts';
export { mapEnterBody, mapReflowBody } from './room-bodies.ts';
export { mapRoom, roomStatus, type RoomContext } from './room.ts';
export { mapUser, mapPayGrade, mapFansClub } from './user.ts';
export { mapImage } from './image.ts';
export { mapStreamUrls } from './stream-urls.ts';
export { mapCheckAlive } from './check-alive.ts';
export { mapRankList } from './ranklist.ts';
export { mapPromotions } from './promotions.ts';
export { mapFeed } from './feed.ts';
export { mapGiftList } from './gifts.ts';
