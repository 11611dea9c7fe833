// Douyin's cursor reads `t-<ms>_r-<n>_d-1_u-1`. The simulator numbers `r` per room message (a
// 19-digit position) so a resumed stream can be checked for holes; Douyin's own cursors keep r
// at 1, where no check is possible and none is claimed.

export function cursorPosition(cursor: string): bigint | null {
  const match = /(?:^|_)r-(\d{1,20})(?:_|$)/.exec(cursor);
  return match === null ? null : BigInt(match[1] as string);
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

/**
 * Judges the first frame with messages after a reconnect: 'complete' when the positions prove
 * nothing was skipped, 'undecided' when the frame only replays what was already received (the
 * next frame decides), else the reason messages may have been lost.
 */
export function judgeResume(check: ResumeCheck): 'complete' | 'undecided' | { gap: string } {
  if (!check.resumedWithCursor) return { gap: 'reconnected without a resume cursor' };
  const { previous, position } = check;
  if (previous === null || !isNumberedPosition(position)) {
    return { gap: 'resumed with a cursor whose positions cannot prove that nothing was missed' };
  }
  const first = position - BigInt(check.messageCount) + 1n;
  if (first > previous + 1n) return { gap: 'the upstream could not resume from the last cursor: messages were skipped' };
  if (position > previous) return 'complete';
  if (check.allSeen) return 'undecided';
  return { gap: 'the upstream no longer numbers messages after the last cursor (it did not know it)' };
}
