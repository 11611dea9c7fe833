// Cursors and internal_ext strings in Douyin's formats (protocol §3.2, §4.3). A room's cursor
// position is `r-<room_id + seq>`: 19 digits like Douyin's, and a cursor from another room or
// a client's synthetic `r-1` falls outside the room's range, so it never resumes by accident.

export interface ParsedCursor {
  timeMs: number | null;
  position: bigint | null;
}

export function formatCursor(nowMs: number, position: bigint): string {
  return `t-${nowMs}_r-${position}_d-1_u-1`;
}

export function parseCursor(text: string): ParsedCursor {
  let timeMs: number | null = null;
  let position: bigint | null = null;
  for (const part of text.split('_')) {
    const match = /^([a-z]+)-(\d{1,20})$/.exec(part);
    if (!match) continue;
    if (match[1] === 't') timeMs = Number(match[2]);
    if (match[1] === 'r') position = BigInt(match[2] as string);
  }
  return { timeMs, position };
}

/** The seq a cursor points at in this room, or null when it is not one of this room's cursors. */
export function cursorSeq(roomId: string, cursor: string, latestSeq: number): number | null {
  const { position } = parseCursor(cursor);
  if (position === null) return null;
  const seq = position - BigInt(roomId);
  return seq >= 0n && seq <= BigInt(latestSeq) ? Number(seq) : null;
}

export function roomCursorPosition(roomId: string, seq: number): bigint {
  return BigInt(roomId) + BigInt(seq);
}

export function pushInternalExt(firstRequestMs: number, wrdsVersion: string): string {
  return `internal_src:pushserver|first_req_ms:${firstRequestMs}|wss_msg_type:r|wrds_v:${wrdsVersion}`;
}

export function fetchInternalExt(roomId: string, deviceId: string, nowMs: number, wrdsVersion: string): string {
  return [
    'internal_src:dim',
    `wss_push_room_id:${roomId}`,
    `wss_push_did:${deviceId}`,
    `first_req_ms:${nowMs}`,
    `fetch_time:${nowMs}`,
    'seq:1',
    `wss_info:0-${nowMs}-0-0`,
    `wrds_v:${wrdsVersion}`,
  ].join('|');
}
