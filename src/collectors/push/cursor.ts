// Douyin's cursor reads `t-<ms>_r-<n>_d-1_u-1`. The simulator numbers `r` per room message so a
// resumed stream can be checked for holes; Douyin's own cursors keep r at 1, where no check is
// possible and none is claimed.

export function cursorSequence(cursor: string): number | null {
  const match = /(?:^|_)r-(\d+)(?:_|$)/.exec(cursor);
  if (match === null) return null;
  const value = Number(match[1]);
  return Number.isSafeInteger(value) ? value : null;
}
