import type { RankEntry, RankList } from '../../model.ts';
import { badShape, checkEnvelope, mapped, type Mapped } from './envelope.ts';
import { mapUser } from './user.ts';
import { int, list, nonNegative, record, text } from './values.ts';

function mapRankEntry(value: unknown, position: number): RankEntry | null {
  const entry = record(value);
  const user = mapUser(entry?.user);
  if (entry === null || user === null) return null;
  const rank = nonNegative(entry.rank);
  return {
    rank: rank !== null && rank > 0 ? rank : position + 1,
    score: nonNegative(entry.score) ?? 0,
    exactScore: text(entry.exactly_score),
    gap: text(entry.gap_description),
    delta: int(entry.delta),
    user,
  };
}

/**
 * ranklist/audience: `data.ranks[]` with each viewer's score and full user (pay_grade,
 * fans_club — the latter filled only when the call named the anchor); `data.total`.
 */
export function mapRankList(body: unknown, roomId: string): Mapped<RankList> {
  const envelope = checkEnvelope(body);
  if (!envelope.ok) return envelope;
  const data = record(envelope.value.data);
  if (data === null || !Array.isArray(data.ranks)) return badShape('ranklist answered without data.ranks');
  const entries = list(data.ranks).flatMap((value, index) => mapRankEntry(value, index) ?? []);
  return mapped({ roomId, entries, total: nonNegative(data.total) });
}
