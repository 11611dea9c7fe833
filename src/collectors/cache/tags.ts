// The names cache entries are found by when a push event makes them stale: one per kind of
// answer and room, so a rank update drops rank lists without touching the room's info.
export const cacheTags = {
  room: (roomId: string) => `room:${roomId}`,
  status: (roomId: string) => `status:${roomId}`,
  ranks: (roomId: string) => `ranks:${roomId}`,
  promotions: (roomId: string) => `promotions:${roomId}`,
};
