// Douyin's cursor reads `t-<ms>_r-<n>_d-1_u-1`. The simulator numbers `r` per room message (a
// 19-digit position) so a resumed stream can be checked for holes; Douyin's own cursors keep r
// at 1, where no check is possible and none is claimed.

export function cursorPosition(cursor: string): bigint | null {
  const match = /(?:^|_)r-(\d{1,20})(?:_|$)/.exec(cursor);
  return match === null ? null : BigInt(match[1] as string);
}

/** The cursor's time (`t-<ms>`), or null when it has none. */
export function cursorTime(cursor: string): number | null {
  const match = /(?:^|_)t-(\d{1,16})(?:_|$)/.exec(cursor);
  return match === null ? null : Number(match[1]);
}

/** Whether positions in this cursor count messages (r > 1), so continuity can be checked. */
export function isNumberedPosition(position: bigint | null): position is bigint {
  return position !== null && position > 1n;
}

export interface ResumeCheck {
  /** Whether the reconnect presented a cursor to resume from. */
  resumedWithCursor: boolean;
  /** Position of the last message received before the drop (null when unknown). */
  previous: bigint | null;
  /** Position of the first frame with messages after the reconnect. */
  position: bigint | null;
  messageCount: number;
  /** Whether every message of that frame had already been received (a replay of old ones). */
  allSeen: boolean;
}

/** What the positions say about the messages between two frames. */
export type Continuity = 'complete' | 'undecided' | 'skipped' | { gap: string };

/**
 * Judges a frame with messages on a connection that is already streaming: 'skipped' when its
 * first message lies beyond the one after the last received (the upstream left some out while
 * connected, e.g. during a short stall). Without numbered positions nothing can be checked.
 */
export function judgeContinuity(previous: bigint | null, position: bigint | null, messageCount: number): 'complete' | 'skipped' {
  if (previous === null || !isNumberedPosition(position) || messageCount < 1) return 'complete';
  return position - BigInt(messageCount) + 1n > previous + 1n ? 'skipped' : 'complete';
}

/**
 * Judges the first frame with messages after a reconnect: 'complete' when the positions prove
 * nothing was skipped, 'undecided' when the frame only replays what was already received (the
 * next frame decides), 'skipped' when the upstream left messages out (resuming again may bring
 * them), else the reason messages may have been lost for good.
 */
export function judgeResume(check: ResumeCheck): Continuity {
  if (!check.resumedWithCursor) return { gap: 'reconnected without a resume cursor' };
  const { previous, position } = check;
  if (previous === null || !isNumberedPosition(position)) {
    return { gap: 'resumed with a cursor whose positions cannot prove that nothing was missed' };
  }
  if (judgeContinuity(previous, position, check.messageCount) === 'skipped') return 'skipped';
  if (position > previous) return 'complete';
  if (check.allSeen) return 'undecided';
  return { gap: 'the upstream no longer numbers messages after the last cursor (it did not know it)' };
}
