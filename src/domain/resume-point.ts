// Where in a room's upstream stream to pick up again: the push frame's cursor and internal_ext,
// which Douyin's push URL takes back to re-send what followed. One name from the collector that
// reads it, through the saver that stores it, to the collector that resumes from it.

export interface ResumePoint {
  cursor: string;
  internalExt: string;
}

/**
 * A resume point as stored: `at` is when it was saved (ms), which is about when its last message
 * arrived, since a point is saved as soon as the events before it are stored.
 */
export interface SavedResumePoint extends ResumePoint {
  at: number;
}
