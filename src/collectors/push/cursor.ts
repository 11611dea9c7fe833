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
