// Domain RankList → Douyin's ranklist/audience payload, the shape of the vendor's audience,
// ranklist (top 100) and get_room_ranklist samples.
import type { RankEntry, RankList } from '../../../domain/model.ts';
import type { VendorJson } from '../json.ts';
import { vendorUser } from './user.ts';

function vendorRankEntry(entry: RankEntry): VendorJson {
  return {
    rank: entry.rank,
    score: entry.score,
    exactly_score: entry.exactScore ?? String(entry.score),
    gap_description: entry.gap ?? '',
    delta: entry.delta ?? 0,
    user: vendorUser(entry.user),
  };
}

export function vendorRankList(list: RankList): VendorJson {
  return {
    ranks: list.entries.map(vendorRankEntry),
    total: list.total ?? list.entries.length,
    // The client returns the whole list Douyin gave; there is no further page to ask for.
    has_more: false,
  };
}
