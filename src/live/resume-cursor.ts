// The one check of a subscriber's resume cursor: issued by this store, for this very room.
import { decodeCursor } from '../store/cursor.ts';
import { StoreError } from '../store/errors.ts';

export const HISTORY_DISABLED = 'HISTORY_DISABLED';

/** A cursor was given to a gateway that keeps no history. */
export class HistoryDisabledError extends Error {
  readonly code = HISTORY_DISABLED;
  constructor() {
    super('this gateway runs without an event store, so it keeps no history to resume from');
    this.name = 'HistoryDisabledError';
  }
}

/** The sequence to resume after; throws BAD_CURSOR (StoreError) or HistoryDisabledError. */
export function resumeSequence(roomId: string, cursor: string, keepsHistory: boolean): number {
  if (!keepsHistory) throw new HistoryDisabledError();
  const position = decodeCursor(cursor);
  if (position.roomId !== roomId) {
    throw new StoreError('BAD_CURSOR', `after: that cursor belongs to room ${position.roomId}, not ${roomId}`);
  }
  return position.seq;
}
