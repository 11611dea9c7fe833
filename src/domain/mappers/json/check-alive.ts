import type { LiveStatus } from '../../model.ts';
import { badShape, checkEnvelope, mapped, type Mapped } from './envelope.ts';
import { flag, idOf, record } from './values.ts';

/**
 * check_alive: `data[]` of `{alive, room_id}`. room_id is a bare 19-digit number, so this needs
 * a body parsed with parseUpstreamJson; an entry whose id was already rounded is dropped rather
 * than reported under a wrong id.
 */
export function mapCheckAlive(body: unknown): Mapped<LiveStatus[]> {
  const envelope = checkEnvelope(body);
  if (!envelope.ok) return envelope;
  const entries = envelope.value.data;
  if (!Array.isArray(entries)) return badShape('check_alive answered without a data list');
  return mapped(
    entries.flatMap((entry) => {
      const roomId = idOf(record(entry), 'room_id');
      return roomId === null ? [] : [{ roomId, isLive: flag(record(entry)?.alive) }];
    }),
  );
}
