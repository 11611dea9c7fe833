// A cursor names one stored event: its room and its per-room sequence number. Clients treat it
// as opaque; base64url keeps it URL- and header-safe.
import { StoreError } from './errors.ts';

export interface CursorPosition {
  roomId: string;
  seq: number;
}

const ROOM_ID = /^[0-9A-Za-z_.-]{1,64}$/;
const SEQ = /^[1-9][0-9]{0,15}$/;

/** Room keys the store accepts: Douyin ids are digits; tests and tools may use short names. */
export function isStorableRoomId(roomId: unknown): roomId is string {
  return typeof roomId === 'string' && ROOM_ID.test(roomId);
}

export function encodeCursor(roomId: string, seq: number): string {
  return Buffer.from(`${roomId}:${seq}`, 'utf8').toString('base64url');
}

/** Throws StoreError BAD_CURSOR for anything encodeCursor could not have produced. */
export function decodeCursor(cursor: string): CursorPosition {
  const text = typeof cursor === 'string' && /^[A-Za-z0-9_-]{1,120}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const colon = text.lastIndexOf(':');
  const roomId = text.slice(0, colon);
  const seqText = text.slice(colon + 1);
  if (colon < 0 || !isStorableRoomId(roomId) || !SEQ.test(seqText) || !Number.isSafeInteger(Number(seqText))) {
    throw new StoreError('BAD_CURSOR', `not a valid history cursor: ${JSON.stringify(String(cursor).slice(0, 80))}`);
  }
  if (encodeCursor(roomId, Number(seqText)) !== cursor) {
    throw new StoreError('BAD_CURSOR', 'history cursor is not in canonical form');
  }
  return { roomId, seq: Number(seqText) };
}
