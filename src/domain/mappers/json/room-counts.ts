// Viewer numbers come in several places, some rounded for display ("2000+", "3055.0万"). Only
// exact numbers become counts; a display string is never parsed into a made-up precision.
import { int, nonNegative, record, type JsonRecord } from './values.ts';

/** room_view_stats.display_type: 1 = people online now, 3 = people who have watched in total. */
const DISPLAY_ONLINE = 1;
const DISPLAY_TOTAL = 3;

function exactDigits(value: unknown): number | null {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null;
}

function viewStats(room: JsonRecord, type: number): number | null {
  const stats = record(room.room_view_stats);
  if (stats === null || int(stats.display_type) !== type) return null;
  return nonNegative(stats.display_value);
}

/** People watching now: stats.user_count_str is exact ("2665") where user_count_str is rounded ("2000+"). */
export function viewerCount(room: JsonRecord): number | null {
  const stats = record(room.stats);
  return (
    exactDigits(stats?.user_count_str) ??
    nonNegative(room.user_count) ??
    viewStats(room, DISPLAY_ONLINE) ??
    exactDigits(room.user_count_str)
  );
}

/** People who have watched this broadcast in total. */
export function totalViewers(room: JsonRecord): number | null {
  const stats = record(room.stats);
  const total = nonNegative(stats?.total_user);
  return (total !== null && total > 0 ? total : null) ?? viewStats(room, DISPLAY_TOTAL) ?? exactDigits(stats?.total_user_str);
}

export function likeCount(room: JsonRecord): number | null {
  const top = nonNegative(room.like_count);
  if (top !== null && top > 0) return top;
  return nonNegative(record(room.stats)?.like_count) ?? top;
}
