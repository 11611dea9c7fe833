// The body of GET /webcast/ranklist/audience/: the room's gift rank, built from the diamonds
// each viewer actually sent in gift messages this broadcast.
import { formatCount } from '../format.ts';
import { rankedContributions, type RoomModel } from '../room-model.ts';
import type { BuildContext } from './context.ts';
import { envelope } from './envelope.ts';
import { fullUserJson } from './user.ts';

export const RANK_LIMIT = 100;

/** "3万+" style audience size. */
function userCountDesc(viewers: number): string {
  return viewers < 10_000 ? String(viewers) : `${Math.floor(viewers / 10_000)}万+`;
}

export function rankListBody(ctx: BuildContext, room: RoomModel, clubAnchorId: string | null) {
  const ranked = rankedContributions(room);
  const ranks = ranked.slice(0, RANK_LIMIT).map((entry, i) => {
    const previous = i === 0 ? null : (ranked[i - 1] ?? null);
    return {
      user: fullUserJson(ctx, entry.user, { clubAnchorId }),
      score: entry.diamonds,
      rank: i + 1,
      gap_description: formatCount(entry.diamonds),
      delta: previous ? previous.diamonds - entry.diamonds : 0,
      first_gift: false,
      is_hidden: false,
      score_description: formatCount(entry.diamonds),
      exactly_score: formatCount(entry.diamonds),
    };
  });
  const last = ranked[Math.min(ranked.length, RANK_LIMIT) - 1];
  const toEnter = ranked.length < RANK_LIMIT ? 1 : (last?.diamonds ?? 0) + 1;
  return envelope(
    {
      ranks,
      seats: [],
      self_info: {
        score: 0,
        rank: 0,
        gap_description: `距离上榜还差\n${toEnter}`,
        delta: toEnter,
        first_gift: false,
        is_hidden: false,
        score_description: '',
        exactly_score: '0',
      },
      has_more: false,
      music_wave: '',
      total: ranked.length,
      currency: '',
      has_once_live: true,
      rules_url: '',
      user_count_desc: userCountDesc(room.viewers),
      invisible_total: 0,
    },
    ctx.nowMs,
  );
}
